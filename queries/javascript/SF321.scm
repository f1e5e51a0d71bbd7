; tf.sequential(), tf.model({...}), tf.loadLayersModel(url)
(call_expression
  function: (member_expression
    object: (identifier) @_tf
    property: (property_identifier) @_fn)
  (#any-of? @_tf "tf" "tfl")
  (#any-of? @_fn "sequential" "model" "loadLayersModel" "loadGraphModel" "variableGrads")) @match

; tf.layers.dense({...})
(call_expression
  function: (member_expression
    object: (member_expression
      object: (identifier) @_tf
      property: (property_identifier) @_layers))
  (#any-of? @_tf "tf" "tfl")
  (#eq? @_layers "layers")) @match

; new brain.NeuralNetwork(), new synaptic.Architect.Perceptron(...)
(new_expression
  constructor: (member_expression
    object: [(identifier) @_lib
             (member_expression object: (identifier) @_lib)])
  (#any-of? @_lib "brain" "synaptic" "convnetjs" "neataptic")) @match

; new NeuralNetwork({...}), new LSTMTimeStep()
(new_expression
  constructor: (identifier) @_class
  (#any-of? @_class "NeuralNetwork" "NeuralNetworkGPU" "LSTMTimeStep" "RNNTimeStep" "GRUTimeStep" "Perceptron")) @match
