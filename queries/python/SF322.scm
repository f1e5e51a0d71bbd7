; def sigmoid(x): ...
(function_definition
  name: (identifier) @_name
  (#any-of? @_name "sigmoid" "sigmoidDerivative" "tanh" "relu" "reluDerivative" "leakyRelu" "leaky_relu" "tanhDerivative" "softmax" "gelu" "backpropagate" "backPropagate" "back_propagate" "calculateDeltas" "calculate_deltas" "adjustWeights" "adjust_weights" "updateWeights" "update_weights" "feedForward" "feed_forward" "feedforward")) @match
