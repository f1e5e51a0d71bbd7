;; Calls of a function or method by name (`helper()`, `this.helper()`); the rule's context check
;; follows the name to a non-async function of this file and reads its body for a sync call.
(call_expression
  function: [
    (identifier)
    (member_expression object: (this))
  ]) @match
