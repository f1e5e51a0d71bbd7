; JavaScript imports. `@import.module` is the specifier; the library table resolves its npm
; package (`@scope/pkg/sub` -> `@scope/pkg`, `node:events` -> `events`). Relative specifiers
; (`./x`) name the project's own files and resolve to nothing.

; import x from "pkg"; import "pkg"
(import_statement
  source: (string
    (string_fragment) @import.module))

; export { x } from "pkg"
(export_statement
  source: (string
    (string_fragment) @import.module))

; require("pkg")
(call_expression
  function: (identifier) @_require
  (#eq? @_require "require")
  arguments: (arguments
    .
    (string
      (string_fragment) @import.module)))

; import("pkg"): dynamic, counted as weaker evidence
(call_expression
  function: (import)
  arguments: (arguments
    .
    (string
      (string_fragment) @import.module))) @import.dynamic

; import x = require("pkg")
(import_require_clause
  source: (string
    (string_fragment) @import.module))
