; plt.plot(...), sns.heatmap(...), px.line(...)
(call
  function: (attribute
    object: (identifier) @_module)
  (#any-of? @_module "plt" "sns" "px")) @match
