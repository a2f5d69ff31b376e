-- wrk script: POST /api/v1/tickets with the API key in $TOKEN.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = '{"subject":"Printer on fire","body":"The printer in room 4 is **on fire**, please advise.","tags":["hardware"]}'
