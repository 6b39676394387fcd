#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Documentation checks, TAP output, non-zero exit status on any failure:
#  (a) every KVM_SEV_* id of the distribution's uapi header (enum
#      sev_cmd_id in <linux/kvm.h>) is named in
#      Documentation/virt/kvm/amd-memory-encryption.rst, and every /dev/sev
#      command of the project's include/uapi/linux/psp-sev.h (its first
#      enum, SEV_FACTORY_RESET .. SEV_GET_ID2) in Documentation/sev-psp.rst;
#      one test per name;
#  (b) every .rst file under Documentation/ parses without docutils
#      warnings; one test per file;
#  (c) codespell finds nothing in Documentation/ and README.md; one test.
#
# Usage: doc-coverage.sh [REPO]
#   REPO defaults to the repository this script belongs to; pass a copy to
#   try the checks on modified documentation.
# Environment: KVM_UAPI_HEADER (default /usr/include/linux/kvm.h).

set -uo pipefail

repo=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
kvm_hdr=${KVM_UAPI_HEADER:-/usr/include/linux/kvm.h}
psp_hdr=$repo/include/uapi/linux/psp-sev.h
kvm_doc=$repo/Documentation/virt/kvm/amd-memory-encryption.rst
psp_doc=$repo/Documentation/sev-psp.rst

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	local line
	for line in "$@"; do
		printf '# %s\n' "$line"
	done
}

bail() {
	echo "Bail out! $1"
	exit 1
}

# Enumerators of "enum sev_cmd_id" (C comments removed first)
kvm_ids() {
	sed -e 's,/\*.*\*/,,g' "$kvm_hdr" | awk '
		/^enum sev_cmd_id[ \t]*\{/ { on = 1; next }
		on && /^\};/ { exit }
		on && match($0, /KVM_SEV_[A-Z0-9_]+/) {
			print substr($0, RSTART, RLENGTH)
		}'
}

# Enumerators of the first enum of psp-sev.h, without the SEV_MAX sentinel
psp_cmds() {
	sed -e 's,/\*.*\*/,,g' "$psp_hdr" | awk '
		/^enum[ \t]*\{/ { on = 1; next }
		on && /^\};/ { exit }
		on && match($0, /SEV_[A-Z0-9_]+/) {
			name = substr($0, RSTART, RLENGTH)
			if (name != "SEV_MAX")
				print name
		}'
}

for f in "$kvm_hdr" "$psp_hdr" "$kvm_doc" "$psp_doc"; do
	[ -r "$f" ] || bail "$f is missing"
done
# the first python3 that has docutils: the one on PATH, else Debian's (where
# scripts/setup.sh installs python3-docutils)
py=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null && "$p" -c 'import docutils' 2>/dev/null; then
		py=$p
		break
	fi
done
[ -n "$py" ] || bail "python3-docutils is not installed"
command -v codespell >/dev/null || bail "codespell is not installed"

mapfile -t kvm_names < <(kvm_ids)
mapfile -t psp_names < <(psp_cmds)
mapfile -t rst_files < <(find "$repo/Documentation" -name '*.rst' -type f | sort)

# The extraction itself must have worked, or nothing would be tested
[ "${#kvm_names[@]}" -ge 20 ] ||
	bail "found only ${#kvm_names[@]} KVM_SEV_* ids in $kvm_hdr"
[ "${psp_names[0]:-}" = SEV_FACTORY_RESET ] ||
	bail "first enum of $psp_hdr does not start with SEV_FACTORY_RESET"
[ "${#rst_files[@]}" -gt 0 ] || bail "no .rst files under $repo/Documentation"

echo "TAP version 13"
echo "1..$(( ${#kvm_names[@]} + ${#psp_names[@]} + ${#rst_files[@]} + 1 ))"

# (a) names; -w so that KVM_SEV_INIT is not satisfied by KVM_SEV_INIT2
for name in "${kvm_names[@]}"; do
	if grep -qw -- "$name" "$kvm_doc"; then
		ok "$name documented in ${kvm_doc#"$repo"/}"
	else
		not_ok "$name documented in ${kvm_doc#"$repo"/}" \
			"$name not found"
	fi
done
for name in "${psp_names[@]}"; do
	if grep -qw -- "$name" "$psp_doc"; then
		ok "$name documented in ${psp_doc#"$repo"/}"
	else
		not_ok "$name documented in ${psp_doc#"$repo"/}" \
			"$name not found"
	fi
done

# (b) docutils: a file passes when parsing it reports nothing at level 2
# (warning) or above
for f in "${rst_files[@]}"; do
	out=$("$py" - "$f" 2>&1 <<'EOF'
import io
import sys

import docutils.core

path = sys.argv[1]
stream = io.StringIO()
with open(path, encoding="utf-8") as fh:
    text = fh.read()
docutils.core.publish_doctree(
    text, source_path=path,
    settings_overrides={"report_level": 2, "halt_level": 5,
                        "warning_stream": stream})
sys.stdout.write(stream.getvalue())
EOF
)
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$out" ]; then
		ok "docutils ${f#"$repo"/}"
	else
		mapfile -t lines <<<"$out"
		not_ok "docutils ${f#"$repo"/}" "${lines[@]}"
	fi
done

# (c) spelling
targets=("$repo/Documentation")
[ -e "$repo/README.md" ] && targets+=("$repo/README.md")
out=$(codespell -- "${targets[@]}" 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ -z "$out" ]; then
	ok "codespell Documentation/ README.md"
else
	mapfile -t lines <<<"$out"
	not_ok "codespell Documentation/ README.md" "${lines[@]}"
fi

[ $failed -eq 0 ] || echo "# $failed of $n failed"
[ $failed -eq 0 ]
