; new dfd.DataFrame(data), dfd.readCSV(url)
(new_expression
  constructor: (member_expression
    object: (identifier) @_dfd)
  (#eq? @_dfd "dfd")) @match

(call_expression
  function: (member_expression
    object: (identifier) @_dfd)
  (#eq? @_dfd "dfd")) @match
