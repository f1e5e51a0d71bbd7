; plt.plot(...), sns.heatmap(...)
(call
  function: (attribute
    object: (identifier) @_module)
  (#any-of? @_module "plt" "sns")) @match

; px.line(...): plotly.express by its figure functions (a bare `px` is often pixels)
(call
  function: (attribute
    object: (identifier) @_module
    attribute: (identifier) @_fn)
  (#eq? @_module "px")
  (#any-of? @_fn "scatter" "scatter_3d" "scatter_polar" "scatter_ternary" "scatter_matrix" "scatter_geo" "scatter_mapbox" "scatter_map" "line" "line_3d" "line_polar" "line_geo" "line_mapbox" "bar" "bar_polar" "area" "histogram" "box" "violin" "strip" "ecdf" "pie" "sunburst" "treemap" "icicle" "funnel" "funnel_area" "timeline" "imshow" "density_heatmap" "density_contour" "density_mapbox" "choropleth" "choropleth_mapbox" "parallel_coordinates" "parallel_categories")) @match
