//go:build linux

package vendureserver

import "syscall"

// setParentDeathSignal kills node if the test binary dies without running its cleanups.
func setParentDeathSignal(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGKILL
}
