; createRoot(el), createApp(App), bootstrapApplication(AppComponent)
(call_expression
  function: [(identifier) @_fn
             (member_expression property: (property_identifier) @_fn)]
  (#any-of? @_fn "createRoot" "hydrateRoot" "createApp" "bootstrapApplication" "platformBrowserDynamic" "createBrowserRouter")) @match

; ReactDOM.render(<App />, el)
(call_expression
  function: (member_expression
    object: (identifier) @_react_dom
    property: (property_identifier) @_fn)
  (#eq? @_react_dom "ReactDOM")
  (#any-of? @_fn "render" "hydrate")) @match

; new Vue({ el: "#app" })
(new_expression
  constructor: (identifier) @_class
  (#eq? @_class "Vue")) @match
