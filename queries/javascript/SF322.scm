; function sigmoid(x) {...}
(function_declaration
  name: (identifier) @_name
  (#any-of? @_name "sigmoid" "sigmoidDerivative" "tanh" "relu" "reluDerivative" "leakyRelu" "leaky_relu" "tanhDerivative" "softmax" "gelu" "backpropagate" "backPropagate" "back_propagate" "calculateDeltas" "calculate_deltas" "adjustWeights" "adjust_weights" "updateWeights" "update_weights" "feedForward" "feed_forward" "feedforward")) @match

; class NeuralNetwork { backpropagate() {...} }
(method_definition
  name: (property_identifier) @_name
  (#any-of? @_name "sigmoid" "sigmoidDerivative" "tanh" "relu" "reluDerivative" "leakyRelu" "leaky_relu" "tanhDerivative" "softmax" "gelu" "backpropagate" "backPropagate" "back_propagate" "calculateDeltas" "calculate_deltas" "adjustWeights" "adjust_weights" "updateWeights" "update_weights" "feedForward" "feed_forward" "feedforward")) @match

; const relu = (x) => Math.max(0, x)
(variable_declarator
  name: (identifier) @_name
  (#any-of? @_name "sigmoid" "sigmoidDerivative" "tanh" "relu" "reluDerivative" "leakyRelu" "leaky_relu" "tanhDerivative" "softmax" "gelu" "backpropagate" "backPropagate" "back_propagate" "calculateDeltas" "calculate_deltas" "adjustWeights" "adjust_weights" "updateWeights" "update_weights" "feedForward" "feed_forward" "feedforward")
  value: [(arrow_function) (function_expression)]) @match
