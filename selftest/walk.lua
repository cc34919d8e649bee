-- wrk script: each request takes the next target of a file (one path?query a line), wrapping around.
-- Usage: wrk -s selftest/walk.lua URL -- TARGETS_FILE ; with several threads each starts at its own place.
local targets = {}
local position = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then targets[#targets + 1] = line end
  end
  if #targets == 0 then error("no targets in " .. args[1]) end
  position = ((id or 0) * 7919) % #targets
end

function request()
  position = position % #targets + 1
  return wrk.format("GET", targets[position])
end
