; class Net(nn.Module), class M(keras.Model), class L(layers.Layer), class P(pl.LightningModule)
(class_definition
  superclasses: (argument_list
    (attribute
      object: (identifier) @_pkg
      attribute: (identifier) @_base))
  (#any-of? @_pkg "nn" "keras" "layers" "pl" "L" "linen" "eqx")
  (#any-of? @_base "Module" "Model" "Layer" "LightningModule" "Sequential")) @match

; class M(tf.keras.Model)
(class_definition
  superclasses: (argument_list
    (attribute
      object: (attribute attribute: (identifier) @_pkg)
      attribute: (identifier) @_base))
  (#any-of? @_pkg "keras" "nn" "layers")
  (#any-of? @_base "Module" "Model" "Layer")) @match

; loss.backward(): no positional argument (turtle's `pen.backward(50)` moves a pen)
(call
  function: (attribute
    attribute: (identifier) @_fn)
  (#eq? @_fn "backward")
  arguments: (argument_list) @_args
  (#eq? @_args "()")) @match

; loss.backward(retain_graph=True)
(call
  function: (attribute
    attribute: (identifier) @_fn)
  (#eq? @_fn "backward")
  arguments: (argument_list
    .
    (keyword_argument
      name: (identifier) @_kw)
    (#any-of? @_kw "retain_graph" "create_graph" "inputs" "gradient"))) @match
