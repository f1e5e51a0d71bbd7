; face_recognition.face_locations(img), DeepFace.verify(a, b), librosa.load(path)
(call
  function: (attribute
    object: (identifier) @_module)
  (#any-of? @_module "face_recognition" "DeepFace" "librosa" "dlib" "mp_face_detection" "mp_face_mesh")) @match

; whisper.load_model("base")
(call
  function: (attribute
    object: (identifier) @_whisper
    attribute: (identifier) @_fn)
  (#eq? @_whisper "whisper")
  (#any-of? @_fn "load_model" "transcribe")) @match

; recognizer.recognize_google(audio): SpeechRecognition's engines by name (a lexer's
; recognize_number() is not speech)
(call
  function: (attribute
    attribute: (identifier) @_fn)
  (#match? @_fn "^recognize_(google|google_cloud|sphinx|whisper|whisper_api|faster_whisper|openai|groq|vosk|bing|azure|wit|houndify|ibm|lex|amazon|assemblyai|tensorflow)$")) @match
