;; Calls of a function or method by name (`helper()`, `self.helper()`); the rule's context check
;; follows the name to a plain `def` of this file and reads its body for a blocking call.
(call
  function: [
    (identifier)
    (attribute object: (identifier) @_self (#eq? @_self "self"))
  ]) @match
