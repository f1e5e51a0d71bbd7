; mqtt.Client(), paho.mqtt.client.Client() (not socketio.client.Client())
(call
  function: (attribute
    object: (_) @_mqtt
    attribute: (identifier) @_fn)
  (#match? @_mqtt "(^|[.])mqtt([.]client)?$")
  (#eq? @_fn "Client")) @match

; serial.Serial("/dev/ttyUSB0", 9600)
(call
  function: (attribute
    object: (identifier) @_serial
    attribute: (identifier) @_fn)
  (#eq? @_serial "serial")
  (#any-of? @_fn "Serial" "serial_for_url")) @match

; GPIO.setup(pin, GPIO.OUT)
(call
  function: (attribute
    object: (identifier) @_gpio
    attribute: (identifier) @_fn)
  (#eq? @_gpio "GPIO")
  (#any-of? @_fn "setup" "output" "input" "setmode" "add_event_detect")) @match
