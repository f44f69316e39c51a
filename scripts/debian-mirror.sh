#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the URI this machine's apt sources use for Debian's main suite
# (bookworm), so that other suites (bookworm-backports, trixie,
# trixie-backports) come from the same mirror.  Never names a host itself.
set -euo pipefail
suite=${1:-bookworm}
{
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		awk -v want="$suite" '
			function flush() { if (uri && main) { print uri; exit } uri = ""; main = 0 }
			/^[[:space:]]*$/ { flush(); next }
			/^URIs:/ { uri = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == want) main = 1 }
			END { flush() }' "$f"
	done
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk -v want="$suite" '$1 == "deb" && $0 !~ /security/ {
			u = ""; s = ""
			for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { u = $i; s = $(i + 1); break }
			if (s == want) print u }' || true
} | sed -n 1p | grep . || { echo "debian-mirror: no $suite source in the apt config" >&2; exit 1; }
