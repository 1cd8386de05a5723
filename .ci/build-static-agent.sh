#!/usr/bin/env bash
# Builds pilot-agent with the Swift runtime linked in, for hosts that have
# no Swift (batch nodes, ssh hosts), and puts it, stripped, beside each
# build's libpilot.so as pilot-agent-static: the coordinator stages that
# one for agents on other hosts. Run it after `swift build`.
set -euo pipefail
cd "$(dirname "$0")/.."
# A scratch path of its own: the static runtime must not mix with the
# dynamic build's objects.
flags=(-c release --static-swift-stdlib --scratch-path .build-static)
swift build "${flags[@]}" --product pilot-agent
bin=$(swift build "${flags[@]}" --show-bin-path)
placed=()
for config in debug release; do
    if [ -d ".build/$config" ]; then
        strip -o ".build/$config/pilot-agent-static" "$bin/pilot-agent"
        placed+=(".build/$config/pilot-agent-static")
    fi
done
[ ${#placed[@]} -gt 0 ] || { echo "build-static-agent.sh: no .build/debug or .build/release: run swift build first" >&2; exit 1; }
echo "build-static-agent.sh: pilot-agent with the Swift runtime linked in: $(du -h "$bin/pilot-agent" | cut -f1), stripped $(du -h "${placed[0]}" | cut -f1): ${placed[*]}" >&2
