; sharp(input).resize(200).toFile(out): a sharp pipeline, told apart from a music app's
; `sharp(note)` by the image operation chained on it
(call_expression
  function: (member_expression
    object: (call_expression
      function: (identifier) @_sharp
      (#eq? @_sharp "sharp")) @match
    property: (property_identifier) @_op)
  (#any-of? @_op "resize" "extract" "rotate" "flip" "flop" "affine" "composite" "toFile" "toBuffer" "jpeg" "png" "webp" "avif" "tiff" "gif" "heif" "toFormat" "metadata" "stats" "grayscale" "greyscale" "blur" "sharpen" "median" "extend" "trim" "tint" "normalise" "normalize" "negate" "threshold" "modulate" "raw" "withMetadata" "ensureAlpha" "removeAlpha" "clone"))

; Jimp.read(path)
(call_expression
  function: (member_expression
    object: (identifier) @_jimp
    property: (property_identifier) @_fn)
  (#any-of? @_jimp "Jimp" "jimp")
  (#eq? @_fn "read")) @match
