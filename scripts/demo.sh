#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The stack end to end: install the packages, build the modules and the
# tools, boot a VM with sev-psp.ko on the software firmware (sev-emu.ko),
# show the platform status, export the certificate chain from /dev/sev and
# verify it as a guest owner would (sev-owner, outside the VM) against the
# software firmware's TEST roots.

set -uo pipefail
. "$(dirname "$0")/env.sh"
cd "$SEVSTACK_ROOT" || exit 1

start=$SECONDS
demo=$SEVSTACK_CACHE/demo
out=$demo/out
tools=$SEVSTACK_CACHE/tools/sev
roots=$SEVSTACK_ROOT/drivers/crypto/ccp/sev-emu/testroots
nsteps=5
stepno=0
rm -rf "$demo"
mkdir -p "$out"

# step NAME CMD...: run CMD with its output in $demo/<n>.log; one line
step() {
	local name=$1 log t=$SECONDS
	shift
	stepno=$((stepno + 1))
	log=$demo/step$stepno.log
	printf '[%d/%d] %s ... ' $stepno $nsteps "$name"
	if "$@" >"$log" 2>&1; then
		echo "ok ($((SECONDS - t))s)"
	else
		echo "FAILED ($((SECONDS - t))s)"
		echo "demo: step $stepno ($name) failed; last lines of $log:"
		tail -n 25 "$log" | sed 's/^/    /'
		echo "demo: FAILED at step $stepno ($name) after $((SECONDS - start))s"
		exit 1
	fi
}

# What runs in the VM: the host-side tool against the real /dev/sev
cat >"$demo/guest.sh" <<EOF
#!/bin/bash
set -e
$(printf 'tools=%q out=%q' "$tools" "$out")
echo "/dev/sev: \$(ls -l /dev/sev)"
"\$tools/sev-host" status >"\$out/status.txt"
"\$tools/sev-host" export --pdh "\$out/pdh.cert" --chain "\$out/chain.cert"
"\$tools/sev-host" status >"\$out/status-after.txt"
EOF

step "install packages (scripts/setup.sh)" scripts/setup.sh
step "build sev-psp.ko and sev-emu.ko" scripts/modules.sh
step "build sev-host and sev-owner" make -C tools/sev O="$tools"
step "boot the VM, load the stack, export the chain from /dev/sev" \
	tools/testing/vm/run.sh --modules=psp --rw "$out" \
	--keep-log "$demo/console.log" \
	-- bash "$demo/guest.sh"
sed -n 's/.*\(SEV: firmware API.*\)/    kernel: \1/p;s/.*\(software SEV firmware ".*" bound\)/    kernel: \1/p' \
	"$demo/console.log"
echo "    platform status (sev-host status):"
sed 's/^/      /' "$out/status.txt"
echo "    after the export: $(grep -E '^state' "$out/status-after.txt" | tr -s ' ')"
echo "    exported (sev-host export): pdh.cert $(stat -c %s "$out/pdh.cert") bytes," \
	"chain.cert (PEK, OCA, CEK) $(stat -c %s "$out/chain.cert") bytes"

step "verify ARK -> ASK -> CEK -> PEK -> PDH as the guest owner (TEST roots)" \
	"$tools/sev-owner" verify --ask-ark "$roots/ask_ark.cert" \
	--cek "$roots/cek.cert" --pdh "$out/pdh.cert" --chain "$out/chain.cert"
sed 's/^/    /' "$demo/step$stepno.log"
echo "    (the ARK/ASK are the software firmware's published TEST keys, not AMD's)"
echo "demo: done in $((SECONDS - start))s; files in $out"
