; every await expression
(await) @match
