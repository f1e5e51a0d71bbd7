; mqtt.connect(url)
(call_expression
  function: (member_expression
    object: (identifier) @_mqtt
    property: (property_identifier) @_fn)
  (#eq? @_mqtt "mqtt")
  (#any-of? @_fn "connect" "connectAsync")) @match

; new SerialPort({...}), new Gpio(17, "out"), new ReadlineParser()
(new_expression
  constructor: [(identifier) @_class
                (member_expression property: (property_identifier) @_class)]
  (#any-of? @_class "SerialPort" "Gpio" "ReadlineParser" "ModbusRTU")) @match

; new five.Board(), new five.Led(13): johnny-five objects through the module. A bare
; `new Board()` is left out: game and kanban boards are far more common than microcontrollers.
(new_expression
  constructor: (member_expression
    object: (identifier) @_five
    property: (property_identifier) @_class)
  (#any-of? @_five "five" "j5" "johnnyFive" "JohnnyFive")
  (#any-of? @_class "Board" "Led" "Pin" "Sensor" "Servo" "Motor" "Button" "Thermometer" "Relay")) @match
