; d3.select("#chart"), d3.scaleLinear()
(call_expression
  function: (member_expression
    object: (identifier) @_d3
    property: (property_identifier) @_fn)
  (#eq? @_d3 "d3")
  (#match? @_fn "^(select|selectAll|scale|axis|line|area|arc|pie|stack|forceSimulation)")) @match

; new Chart(ctx, config)
(new_expression
  constructor: (identifier) @_class
  (#eq? @_class "Chart")) @match

; Plotly.newPlot(el, data)
(call_expression
  function: (member_expression
    object: (identifier) @_plotly
    property: (property_identifier) @_fn)
  (#eq? @_plotly "Plotly")
  (#any-of? @_fn "newPlot" "react" "plot")) @match
