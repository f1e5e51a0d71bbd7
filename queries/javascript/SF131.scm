; new Y.Doc()
(new_expression
  constructor: (member_expression
    object: (identifier) @_y
    property: (property_identifier) @_doc)
  (#eq? @_y "Y")
  (#eq? @_doc "Doc")) @match

; sync providers and presence
(new_expression
  constructor: [(identifier) @_class
                (member_expression property: (property_identifier) @_class)]
  (#any-of? @_class "WebsocketProvider" "WebrtcProvider" "HocuspocusProvider" "Awareness" "IndexeddbPersistence" "LiveblocksProvider")) @match

; Automerge.change(doc, ...), Automerge.from(...)
(call_expression
  function: (member_expression
    object: (identifier) @_automerge
    property: (property_identifier) @_fn)
  (#eq? @_automerge "Automerge")
  (#any-of? @_fn "init" "from" "change" "merge" "load" "applyChanges")) @match
