; sharp(input).resize(200).toFile(out)
(call_expression
  function: (identifier) @_sharp
  (#eq? @_sharp "sharp")) @match

; Jimp.read(path)
(call_expression
  function: (member_expression
    object: (identifier) @_jimp
    property: (property_identifier) @_fn)
  (#any-of? @_jimp "Jimp" "jimp")
  (#eq? @_fn "read")) @match
