#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh: boots Debian's kernel in QEMU with an initramfs of busybox-static,
# the module and build/guest/, runs commands in the guest and powers off.
#
#   scripts/vm.sh [options] --cmd 'CMD' [--cmd 'CMD' ...]
#
#   --cmd CMD         run CMD (with `sh -c`, cwd /ipo, stdin /dev/null) in the
#                     guest; repeatable, run in order, all of them even when
#                     one fails
#   --shell           after the commands (or with none), a shell on the serial
#                     console; exit or Ctrl-D powers off, Ctrl-A x kills qemu
#   --timeout SEC     kill the VM after SEC seconds (default 300; not with
#                     --shell)
#   --tap FILE        write the run as TAP to FILE: the commands' own
#                     "ok N"/"not ok N" lines, one line per command for its
#                     exit status, one for dmesg, everything else as "# "
#                     comments.  FILE "-" is stdout, and then the raw serial
#                     stream is not printed (it is in build/vm/last.log).
#   --kmod NAME       put Debian's module NAME and its dependencies into the
#                     guest's /lib/modules (`modprobe NAME` there); repeatable
#   --edu N           add N QEMU `edu` PCI devices, all on one INTx line
#   --qemu-arg ARG    one more argument for qemu; repeatable
#   --append ARG      one more kernel command line argument; repeatable
#   --dmesg-ignore RE an extended regex of flagged dmesg lines to tolerate;
#                     repeatable
#   --file SRC:DEST   copy the host file SRC to /ipo/DEST in the guest (after
#                     build/guest/, so it may replace a file there); repeatable
#   --add DIR         copy the host directory DIR (its files and everything
#                     under it) to /mnt/NAME in the guest, NAME being DIR's
#                     own name (`--add ~/work/board` gives /mnt/board); the
#                     shared libraries its dynamically linked programs need
#                     come along (below); repeatable
#   --keep            keep the initramfs and its staging directory
#
# The guest has /ipo (a copy of build/guest/ plus /ipo/ipo.ko when kmod/ipo.ko
# is built), PATH=/ipo/bin:..., a tmpfs /tmp, proc, sys, devtmpfs, debugfs.
# It runs dynamically linked programs: the host's dynamic loader and libc,
# build/lib/libipo.so.0 (in /usr/lib/x86_64-linux-gnu, where Debian's
# libipo0 puts it) and the libraries it needs, and those of every program
# and library in the --add directories, are copied in as `ldd` finds them
# (with build/lib first on the library path).
# The whole serial log is also kept in build/vm/last.log.
#
# Exits 0 only when the guest ran every command with status 0, its dmesg has
# no WARNING/BUG/Oops/leak/lockdep/... line and it powered off in time.
#
# Environment: QEMU (qemu-system-x86_64), IPO_VM_MEM (1G), IPO_VM_SMP (2),
# KVER (the kernel to boot: scripts/kver.sh), IPO_VM_KO (the module staged
# as /ipo/ipo.ko: kmod/ipo.ko; built for KVER), IPO_VM_KERNEL (the image of
# KVER to boot, a vmlinux with a PVH note or a bzImage:
# /boot/vmlinuz-KVER), IPO_VM_MODULES (where --kmod finds KVER's modules:
# /lib/modules/KVER).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
prog=vm.sh

cmds=()
kmods=()
qemu_extra=()
append_extra=()
dmesg_ignore=()
files=()
adds=()
shell=0 timeout=300 tap="" keep=0 edu=0

die() { echo "$prog: error: $*" >&2; exit 2; }
# The comment block above, from its synopsis to the blank line before set -e.
usage() { sed -n '5,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
need_arg() { [ "$2" -ge 2 ] || die "$1 needs an argument"; }

while [ $# -gt 0 ]; do
	case $1 in
	--cmd)		need_arg "$1" $#; cmds+=("$2"); shift 2 ;;
	--shell)	shell=1; shift ;;
	--timeout)	need_arg "$1" $#; timeout=$2; shift 2 ;;
	--tap)		need_arg "$1" $#; tap=$2; shift 2 ;;
	--kmod)		need_arg "$1" $#; kmods+=("$2"); shift 2 ;;
	--edu)		need_arg "$1" $#; edu=$2; shift 2 ;;
	--qemu-arg)	need_arg "$1" $#; qemu_extra+=("$2"); shift 2 ;;
	--append)	need_arg "$1" $#; append_extra+=("$2"); shift 2 ;;
	--dmesg-ignore)	need_arg "$1" $#; dmesg_ignore+=("$2"); shift 2 ;;
	--file)		need_arg "$1" $#; files+=("$2"); shift 2 ;;
	--add)		need_arg "$1" $#; adds+=("$2"); shift 2 ;;
	--keep)		keep=1; shift ;;
	-h|--help)	usage 0 ;;
	*)		echo "$prog: unknown argument '$1'" >&2; usage 2 ;;
	esac
done

[[ $timeout =~ ^[0-9]+$ ]] && [ "$timeout" -gt 0 ] || die "--timeout wants a positive number of seconds, not '$timeout'"
[[ $edu =~ ^[0-7]$ ]] || die "--edu wants 0..7, not '$edu'"
[ ${#cmds[@]} -gt 0 ] || [ "$shell" = 1 ] || die "nothing to do: give --cmd 'CMD' or --shell"
[ -z "$tap" ] || [ "$shell" = 0 ] || die "--tap and --shell do not go together"

kver=${KVER:-$("$top/scripts/kver.sh")}
kernel=${IPO_VM_KERNEL:-/boot/vmlinuz-$kver}
moddir=/lib/modules/$kver
modsrc=${IPO_VM_MODULES:-$moddir}
qemu=${QEMU:-qemu-system-x86_64}
[ "$kver" != none-installed ] || die "no Debian 6.1 kernel with headers and image installed (run scripts/deps.sh)"
[ -r "$kernel" ] || die "cannot read $kernel (linux-image-amd64 installed? readable by $(id -un)?)"
for f in "${files[@]}"; do
	[[ $f == ?*:?* ]] || die "--file wants SRC:DEST, not '$f'"
	[ -r "${f%%:*}" ] || die "--file $f: cannot read ${f%%:*}"
done
declare -A add_names=()
add_dirs=()
for d in "${adds[@]}"; do
	[ -d "$d" ] || die "--add $d: not a directory"
	abs=$(cd "$d" && pwd -P) || die "--add $d: cannot enter it"
	name=${abs##*/}
	[ -n "$name" ] || die "--add $d: the root directory has no name to go under /mnt"
	[ -z "${add_names[$name]:-}" ] || die "--add $d: /mnt/$name is taken by --add ${add_names[$name]}"
	add_names[$name]=$d
	add_dirs+=("$abs")
done
command -v "$qemu" >/dev/null || die "$qemu not found (install qemu-system-x86)"
command -v cpio >/dev/null || die "cpio not found (install cpio)"

busybox=""
for b in /bin/busybox /usr/bin/busybox; do
	[ -x "$b" ] && { busybox=$b; break; }
done
[ -n "$busybox" ] || die "busybox not found (install busybox-static)"
if LC_ALL=C readelf -l "$busybox" 2>/dev/null | grep -q 'program interpreter'; then
	die "$busybox is dynamically linked; install busybox-static"
fi

# ---- the initramfs ------------------------------------------------------
vmdir=$top/build/vm
mkdir -p "$vmdir"
work=$(mktemp -d "$vmdir/run.XXXXXX")
qpid=""
cleanup() {
	if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
		kill "$qpid" 2>/dev/null || true
		sleep 0.5
		kill -9 "$qpid" 2>/dev/null || true
	fi
	if [ "$keep" = 1 ]; then
		echo "$prog: kept $work/initramfs.cpio and $work/root" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The base archive (busybox and its applet links, the directories, the
# /dev/console node) only changes with busybox: it is cached in build/vm/.
# The archive of each run (/init, the commands, /ipo, modules) is appended;
# the kernel unpacks concatenated cpio archives in order.

# newc entry for a device node, so the kernel can open /dev/console for
# /init without mknod (and without root).
newc_entry() {	# NAME MODE(octal) RDEVMAJOR RDEVMINOR
	local name=$1 namesize=$((${#1} + 1)) pad
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
		1 $((8#$2)) 0 0 1 0 0 0 0 "$3" "$4" "$namesize" 0 "$name"
	pad=$(( (4 - (110 + namesize) % 4) % 4 ))
	head -c "$pad" /dev/zero
}
pack() {	# DIR: a newc archive of DIR's contents on stdout
	(cd "$1" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio -o -0 -H newc -R 0:0 --quiet)
}

base=$vmdir/base.cpio
if [ ! -s "$base" ] || [ "$busybox" -nt "$base" ] || [ "$0" -nt "$base" ]; then
	broot=$work/base
	mkdir -p "$broot"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,etc}
	cp "$busybox" "$broot/bin/busybox"
	(cd "$broot" && "$busybox" --list-full | grep -vxE 'bin/busybox|linuxrc|s?bin/init' |
		xargs -I{} ln -s /bin/busybox {})
	printf 'root:x:0:0:root:/tmp:/bin/sh\n' > "$broot/etc/passwd"
	printf 'root:x:0:\ntty:x:5:\n' > "$broot/etc/group"
	{ pack "$broot"; newc_entry dev/console 20600 5 1; newc_entry TRAILER!!! 0 0 0; } \
		> "$work/base.cpio"
	mv "$work/base.cpio" "$base"
	rm -rf "$broot"
fi

root=$work/root
mkdir -p "$root"/{etc/ipo-vm,ipo,"$moddir"}
install -m 0755 "$top/scripts/guest-init" "$root/init"

if [ -d "$top/build/guest" ]; then
	cp -a "$top/build/guest/." "$root/ipo/"
fi
ko=${IPO_VM_KO:-$top/kmod/ipo.ko}
if [ -f "$ko" ]; then
	cp "$ko" "$root/ipo/ipo.ko"
else
	echo "$prog: note: $ko is not built; the guest has no /ipo/ipo.ko" >&2
fi
for f in "${files[@]}"; do
	dest=$root/ipo/${f#*:}
	mkdir -p "$(dirname "$dest")"
	cp "${f%%:*}" "$dest"
done

# Directories of the user's, with the libraries their programs need (and
# libipo's): each library at the path where ldd found it on the host, so
# the guest's loader (which has no ld.so.cache) finds it in its default
# search path; libipo.so.0 of the tree goes where Debian installs it.
guest_libdir=/usr/lib/x86_64-linux-gnu
stage_lib() {	# a library's host path, as ldd printed it
	local dest=$1
	case $1 in
	"$top"/build/lib/*) dest=$guest_libdir/${1##*/} ;;
	esac
	[ ! -e "$root$dest" ] || return 0
	mkdir -p "$root${dest%/*}"
	cp -L "$1" "$root$dest"
}
stage_needs() {	# FILE: the libraries an ELF file needs, if it is dynamic
	local out line lib
	[ "$(head -c 4 "$1" | tr -d '\177')" = ELF ] || return 0
	out=$(LD_LIBRARY_PATH=$top/build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
		ldd "$1" 2>/dev/null) || return 0	# not dynamic, or not for this host
	while IFS= read -r line; do
		line=${line#"${line%%[![:space:]]*}"}
		case $line in
		*"=> not found"*)
			die "$1 needs ${line%% =>*}, which ldd does not find on this host" ;;
		*"=> /"*)
			lib=${line#*=> }; stage_lib "${lib% (0x*}" ;;
		/*)
			stage_lib "${line% (0x*}" ;;
		esac
	done <<< "$out"
}
if [ -e "$top/build/lib/libipo.so.0" ]; then
	stage_lib "$top/build/lib/libipo.so.0"
	stage_needs "$top/build/lib/libipo.so.0"
fi
for d in "${add_dirs[@]}"; do
	mkdir -p "$root/mnt/${d##*/}"
	cp -a "$d/." "$root/mnt/${d##*/}/"
	while IFS= read -r -d '' f; do
		stage_needs "$f"
	done < <(find "$d" -type f -print0)
done

# Debian modules: modules.dep lists each module's full dependency closure.
for name in "${kmods[@]}"; do
	want=${name//-/_}
	line=$(awk -v w="$want" '{ f = $1; sub(/:$/, "", f); n = f; sub(/.*\//, "", n);
		sub(/\.ko(\.[a-z]+)?$/, "", n); gsub(/-/, "_", n);
		if (n == w) { print; exit } }' "$modsrc/modules.dep")
	[ -n "$line" ] || die "--kmod $name: no such module in $modsrc/modules.dep"
	for m in ${line//:/}; do
		mkdir -p "$root/$moddir/$(dirname "$m")"
		cp "$modsrc/$m" "$root/$moddir/$m"
		grep -F "$m:" "$modsrc/modules.dep" | grep "^$m:" >> "$root/$moddir/modules.dep" || true
	done
done
if [ -f "$root/$moddir/modules.dep" ]; then
	sort -u -o "$root/$moddir/modules.dep" "$root/$moddir/modules.dep"
fi

i=0
for c in "${cmds[@]}"; do
	i=$((i + 1))
	printf '%s\n' "$c" > "$root/etc/ipo-vm/cmd.$i"
done
# The guest stops starting commands a little before the host gives up, so a
# hung command still leaves its dmesg (and the blocked tasks) in the log.
budget=0
if [ "$shell" = 0 ]; then
	margin=$((timeout / 10 < 15 ? 15 : timeout / 10))
	budget=$((timeout - margin))
	[ "$budget" -ge 5 ] || budget=0
fi
rows=24 cols=80
if [ "$shell" = 1 ] && [ -t 0 ]; then
	read -r rows cols < <(stty size 2>/dev/null || echo 24 80)
fi
cat > "$root/etc/ipo-vm/conf" <<EOF
IPO_VM_ROWS=$rows
IPO_VM_COLS=$cols
IPO_VM_SHELL=$shell
IPO_VM_BUDGET=$budget
IPO_VM_NCMDS=${#cmds[@]}
EOF
for re in "${dmesg_ignore[@]}"; do
	printf '%s\n' "$re" >> "$root/etc/ipo-vm/dmesg-ignore"
done

cpio_img=$work/initramfs.cpio
{ cat "$base"; pack "$root"; } > "$cpio_img"

# ---- the kernel -----------------------------------------------------------
# Under TCG, unpacking the XZ bzImage takes ~2.5 s of every boot.  The
# uncompressed vmlinux boots directly through its PVH entry point; it is
# extracted once into build/vm/ (IPO_VM_BZIMAGE=1 boots the bzImage instead).
# An IPO_VM_KERNEL boots as it is: a vmlinux (ELF) through its PVH entry,
# anything else as a bzImage.
boot_image=$kernel
vmlinux=$vmdir/vmlinux-$kver
if [ -n "${IPO_VM_KERNEL:-}" ]; then
	[ "$(head -c 4 "$kernel" | tr -d '\177')" != ELF ] || vmlinux=$kernel
elif [ "${IPO_VM_BZIMAGE:-0}" != 1 ]; then
	if [ ! -s "$vmlinux" ] || [ "$kernel" -nt "$vmlinux" ]; then
		off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$kernel" 2>/dev/null | head -1 | cut -d: -f1 || true)
		rm -f "$vmlinux"
		if [ -n "$off" ] && command -v xz >/dev/null; then
			# xz complains about the bzImage's tail after the stream.
			tail -c +$((off + 1)) "$kernel" | xz -dc > "$vmlinux.tmp" 2>/dev/null || true
			if LC_ALL=C readelf -n "$vmlinux.tmp" 2>/dev/null | grep -q 'Xen.*0x00000012'; then
				mv "$vmlinux.tmp" "$vmlinux"
			fi
			rm -f "$vmlinux.tmp"
		fi
	fi
	if [ -s "$vmlinux" ]; then
		boot_image=$vmlinux
	else
		echo "$prog: note: no PVH vmlinux from $kernel; booting the bzImage (slower)" >&2
	fi
fi

# ---- qemu ----------------------------------------------------------------
# quiet: only errors reach the console live (WARNINGs are caught from dmesg
# at the end); panic=-1 + -no-reboot: a panic ends qemu at once; no
# oops=panic, so an oops kills the task, the run goes on and dmesg reports it.
# The rest only saves boot time.  (The PVH entry has no KASLR anyway.)
append="console=ttyS0 quiet loglevel=4 panic=-1 mitigations=off"
append+=" random.trust_cpu=on i8042.noaux 8250.nr_uarts=1 tsc=reliable"
append+=" cryptomgr.notests"
[ "$boot_image" = "$vmlinux" ] || append+=" nokaslr edd=off"
append+=" ${append_extra[*]}"

# -cx16: QEMU 7.2's TCG (Debian 12's) emulates CMPXCHG16B with flags
# computed from a stale lazy-flags state: right after an IRET or POPF it
# takes the last flag-setting operand as the whole RFLAGS (TF, DF, NT, AC
# and all; selftests/kernel/vm_cpu_test.c shows it).  SLUB's per-CPU fast
# path (non-RT kernels) runs it on every kmalloc(), so an interrupt that
# returns into that path leaves the kernel with a pointer for RFLAGS: a
# double fault right after the instruction, or a task's return to user
# space that dies with a general protection fault.  Without CX16 the
# kernel uses its own irq-safe emulation of the instruction instead.
qargs=(-machine pc -accel tcg -cpu max,-cx16 -smp "${IPO_VM_SMP:-2}" -m "${IPO_VM_MEM:-1G}"
	-nodefaults -no-reboot -display none
	-kernel "$boot_image" -initrd "$cpio_img" -append "$append")
# i440fx routes INTA of slot S to PIRQ (S - 1) & 3: slots 4, 8, 12, ... all
# land on PIRQD, i.e. one IRQ line shared by every edu device.
for ((i = 1; i <= edu; i++)); do
	qargs+=(-device "edu,addr=$(printf '0x%x' $((4 * i)))")
done
qargs+=("${qemu_extra[@]}")

log=$vmdir/last.log
: > "$log"

if [ "$shell" = 1 ]; then
	echo "$prog: booting $kver with a shell on the console (Ctrl-A x quits qemu)" >&2
	rc=0
	"$qemu" "${qargs[@]}" \
		-chardev "stdio,id=con,mux=on,signal=off,logfile=$log" \
		-serial chardev:con -mon chardev=con,mode=readline || rc=$?
	res=$(tr -d '\r' < "$log" | grep -o 'IPO-VM-RESULT: .*' | tail -1 || true)
	[ -z "$res" ] || echo "$prog: $res" >&2
	exit "$rc"
fi

# Batch: qemu writes the serial stream into a fifo that we read line by line.
mkfifo "$work/serial"
"$qemu" "${qargs[@]}" -serial stdio -monitor none \
	< /dev/null > "$work/serial" 2>&1 &
qpid=$!
exec 3< "$work/serial"

tapfd=""
raw_out=1
if [ -n "$tap" ]; then
	if [ "$tap" = - ]; then
		exec 5>&1
		raw_out=0
	else
		exec 5> "$tap"
	fi
	tapfd=5
fi
exec 4>> "$log"

t0=$EPOCHREALTIME
deadline=$((SECONDS + timeout))
cur=0			# the command running (0: none)
cur_notok=0		# it printed a "not ok" line of its own
maxn=0			# the highest TAP number seen
booted="" first_cmd="" result="" timed_out=0 guest_timeout=0 panic=""
declare -A crc=()	# command -> exit status
flags=()
fails=()

since_t0() { awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
tapln() { [ -z "$tapfd" ] || printf '%s\n' "$1" >&"$tapfd"; }
vm_tap() {		# ok|not ok, description
	maxn=$((maxn + 1))
	tapln "$1 $maxn - vm: $2"
}
note() {
	if [ "$raw_out" = 1 ]; then echo "$prog: $*" >&2; else tapln "# $prog: $*"; fi
}
output() {		# a line of guest output
	local l=$1
	if [[ $cur -gt 0 && $l =~ ^(not\ )?ok\ ([0-9]+) ]]; then
		[ "${BASH_REMATCH[2]}" -le "$maxn" ] || maxn=${BASH_REMATCH[2]}
		[ -z "${BASH_REMATCH[1]}" ] || cur_notok=1
		tapln "$l"
	elif [[ $l == \#* ]]; then
		tapln "$l"
	else
		tapln "# $l"
	fi
}
marker() {
	local m=$1 n
	case $m in
	IPO-VM-BOOTED*)
		booted=$(since_t0) ;;
	IPO-VM-CMD-BEGIN*)
		n=${m#IPO-VM-CMD-BEGIN }; n=${n%%:*}
		cur=$n cur_notok=0
		[ -n "$first_cmd" ] || first_cmd=$(since_t0)
		tapln "# vm: command $n: ${cmds[n - 1]}" ;;
	IPO-VM-CMD-TIMEOUT*)
		n=${m#IPO-VM-CMD-TIMEOUT }
		guest_timeout=$n ;;
	IPO-VM-CMD-END*)
		n=${m#IPO-VM-CMD-END }; n=${n%% *}
		crc[$n]=${m##*rc=}
		if [ "$guest_timeout" = "$n" ]; then
			vm_tap "not ok" "command $n timed out: ${cmds[n - 1]}"
		elif [ "${crc[$n]}" = 0 ]; then
			vm_tap ok "command $n exited 0: ${cmds[n - 1]}"
		elif [ "$cur_notok" = 1 ]; then
			tapln "# vm: command $n exited ${crc[$n]} (its failures are counted above)"
		else
			vm_tap "not ok" "command $n exited ${crc[$n]}: ${cmds[n - 1]}"
		fi
		cur=0 ;;
	IPO-VM-DMESG-FLAG:*)
		flags+=("${m#IPO-VM-DMESG-FLAG: }") ;;
	IPO-VM-RESULT:*)
		result=$m ;;
	esac
}

while :; do
	rem=$((deadline - SECONDS))
	if [ "$rem" -le 0 ]; then timed_out=1; break; fi
	line=""
	rrc=0
	IFS= read -r -t "$rem" line <&3 || rrc=$?
	if [ "$rrc" -gt 128 ]; then
		# Timed out: a partial line may be in $line.
		[ -z "$line" ] || { printf '%s\n' "$line" >&4; output "$line"; }
		timed_out=1
		break
	fi
	line=${line%$'\r'}
	if [ "$rrc" -ne 0 ] && [ -z "$line" ]; then break; fi	# EOF
	printf '%s\n' "$line" >&4
	[ "$raw_out" = 0 ] || printf '%s\n' "$line"
	# If the guest dies, the first sign of why is the best summary.
	if [ -z "$panic" ] && [[ $line =~ Kernel\ panic|BUG:|Oops|general\ protection ]]; then
		panic=${line#\[*\] }
	fi
	if [[ $line == *IPO-VM-* ]]; then
		pre=${line%%IPO-VM-*}
		[ -z "$pre" ] || output "$pre"
		marker "IPO-VM-${line#*IPO-VM-}"
	else
		output "$line"
	fi
	[ "$rrc" -eq 0 ] || break
	[ -z "$result" ] || break
done

# Let qemu finish the poweroff; it must not outlive us.
if [ -n "$result" ]; then
	for _ in $(seq 50); do kill -0 "$qpid" 2>/dev/null || break; sleep 0.1; done
fi
if kill -0 "$qpid" 2>/dev/null; then
	kill "$qpid" 2>/dev/null || true
fi
wait "$qpid" 2>/dev/null || true
qpid=""
total=$(since_t0)
exec 3<&-

# ---- verdict ---------------------------------------------------------------
if [ "$timed_out" = 1 ]; then
	if [ "$cur" -gt 0 ]; then where="in command $cur"
	elif [ -n "$booted" ]; then where="outside the commands"
	else where="before the guest's /init started"; fi
	fails+=("timed out after ${timeout}s ($where)")
	vm_tap "not ok" "finished within ${timeout}s (killed; see build/vm/last.log)"
elif [ -z "$result" ]; then
	if [ -n "$panic" ]; then why=$panic
	elif [ -z "$booted" ]; then why="qemu exited before /init ran"
	else why="no result line (panic or crash?)"; fi
	fails+=("the guest stopped early: $why")
	vm_tap "not ok" "guest finished (stopped early: $why; see build/vm/last.log)"
fi
for ((n = 1; n <= ${#cmds[@]}; n++)); do
	if [ -z "${crc[$n]:-}" ]; then
		why="did not finish"
		[ "$n" -le "$cur" ] || [ "$n" -le "${guest_timeout:-0}" ] || why="was not run"
		fails+=("command $n $why: ${cmds[n - 1]}")
		vm_tap "not ok" "command $n $why: ${cmds[n - 1]}"
	elif [ "$guest_timeout" = "$n" ]; then
		fails+=("command $n timed out (killed in the guest): ${cmds[n - 1]}")
	elif [ "${crc[$n]}" != 0 ]; then
		fails+=("command $n exited ${crc[$n]}: ${cmds[n - 1]}")
	fi
done
if [ -n "$result" ]; then
	if [ ${#flags[@]} -eq 0 ]; then
		vm_tap ok "dmesg clean"
	else
		vm_tap "not ok" "dmesg clean: ${flags[0]}"
		for f in "${flags[@]}"; do
			tapln "# dmesg: $f"
			fails+=("dmesg: $f")
		done
	fi
fi

timing="kernel to /init ${booted:-?}s, to first command ${first_cmd:-?}s, total ${total}s"
if [ ${#fails[@]} -eq 0 ]; then
	note "OK: ${#cmds[@]} command(s), dmesg clean ($timing)"
	exit 0
fi
for f in "${fails[@]}"; do
	if [ "$raw_out" = 1 ]; then echo "$prog: FAILED: $f" >&2; else tapln "# $prog: FAILED: $f"; fi
done
note "($timing; serial log in build/vm/last.log)"
exit 1
