; if __name__ == "__main__":
(if_statement
  condition: (comparison_operator
    (identifier) @_name
    (string (string_content) @_main))
  (#eq? @_name "__name__")
  (#eq? @_main "__main__")) @match

; if "__main__" == __name__:
(if_statement
  condition: (comparison_operator
    (string (string_content) @_main)
    (identifier) @_name)
  (#eq? @_name "__name__")
  (#eq? @_main "__main__")) @match

; #!/usr/bin/env python3 (first line)
(module
  .
  (comment) @match
  (#match? @match "^#!.*python"))
