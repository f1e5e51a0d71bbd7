; np.array(...), pd.read_csv(...), pl.DataFrame(...)
(call
  function: (attribute
    object: (identifier) @_alias)
  (#any-of? @_alias "np" "pd" "pl" "sp" "xr" "dd")) @match
