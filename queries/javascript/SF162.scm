; createRoot(el), hydrateRoot(el, <App />), bootstrapApplication(AppComponent)
(call_expression
  function: [(identifier) @_fn
             (member_expression property: (property_identifier) @_fn)]
  (#any-of? @_fn "createRoot" "hydrateRoot" "bootstrapApplication" "platformBrowserDynamic" "createBrowserRouter")) @match

; Vue createApp(App) / createSSRApp(App): a component as first argument. An Express-style
; `createApp({ title })` factory on the server is not a client-side app.
(call_expression
  function: [(identifier) @_fn
             (member_expression property: (property_identifier) @_fn)]
  (#any-of? @_fn "createApp" "createSSRApp")
  arguments: (arguments
    .
    (identifier) @_component
    (#match? @_component "^[A-Z]"))) @match

; Vue options object mounted at once: createApp({ data() { ... } }).mount("#app")
(call_expression
  function: (member_expression
    object: (call_expression
      function: [(identifier) @_fn
                 (member_expression property: (property_identifier) @_fn)]
      (#any-of? @_fn "createApp" "createSSRApp")
      arguments: (arguments
        .
        (object))) @match
    property: (property_identifier) @_mount)
  (#eq? @_mount "mount"))

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
