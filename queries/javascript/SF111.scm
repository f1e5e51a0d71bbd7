; every await expression
(await_expression) @match
