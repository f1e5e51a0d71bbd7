; cv2.imread(path), cv2.resize(img, size)
(call
  function: (attribute
    object: (identifier) @_cv2)
  (#eq? @_cv2 "cv2")) @match

; Image.open(path), Image.fromarray(arr)
(call
  function: (attribute
    object: (identifier) @_image
    attribute: (identifier) @_fn)
  (#eq? @_image "Image")
  (#any-of? @_fn "open" "fromarray" "new" "frombytes" "merge")) @match
