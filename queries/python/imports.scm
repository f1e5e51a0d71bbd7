; Python imports. `@import.module` is the dotted module name that the library table resolves
; (longest dotted prefix). Relative imports (`from . import x`) are `relative_import` nodes and
; never match: they name the project's own modules.

; import a.b, c
(import_statement
  name: (dotted_name) @import.module)

; import a.b as c
(import_statement
  name: (aliased_import
    name: (dotted_name) @import.module))

; from a.b import c
(import_from_statement
  module_name: (dotted_name) @import.module)

; __import__("a") and importlib.import_module("a"): dynamic, counted as weaker evidence
(call
  function: [
    (identifier) @_fn
    (attribute attribute: (identifier) @_fn)
  ]
  (#any-of? @_fn "__import__" "import_module")
  arguments: (argument_list
    .
    (string
      (string_content) @import.module))) @import.dynamic
