; model.fit(...), model.fitDataset(...), model.trainOnBatch(...), net.train(...): the rule's
; `calls` check that the receiver is a tensorflow.js/brain.js/synaptic model.
(call_expression
  function: (member_expression
    property: (property_identifier) @_fn) @_callee
  (#any-of? @_fn "fit" "fitDataset" "trainOnBatch" "train" "trainAsync")) @match
