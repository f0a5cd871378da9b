//go:build unix && !linux

package vendureserver

import "syscall"

func setParentDeathSignal(*syscall.SysProcAttr) {}
