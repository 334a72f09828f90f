-- post.lua plus a per-status tally (200 / 409 / 4xx ...). Kept separate because defining
-- response() makes wrk hand every response to Lua, which costs throughput: only the adversarial
-- scenario, where the status mix is the point, pays for it (on every server alike).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "post.lua")

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end
