-- wrk script: GET with the API key in $TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
