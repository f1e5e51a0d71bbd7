; np.array(...), pd.read_csv(...), pl.DataFrame(...)
(call
  function: (attribute
    object: (identifier) @_alias)
  (#any-of? @_alias "np" "pd" "pl" "xr" "dd")) @match

; sp.linalg.solve(...) / sp.sparse.csr_matrix(...) as scipy; `import subprocess as sp` is common
; too, so its functions are left out
(call
  function: (attribute
    object: (identifier) @_alias
    attribute: (identifier) @_fn)
  (#eq? @_alias "sp")
  (#not-any-of? @_fn "run" "call" "check_call" "check_output" "Popen" "getoutput" "getstatusoutput")) @match

(call
  function: (attribute
    object: (attribute
      object: (identifier) @_alias))
  (#eq? @_alias "sp")) @match
