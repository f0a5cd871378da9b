//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package vendureserver

// lockFile is a no-op where flock is unavailable: installs are still serialised within one
// process, but parallel test binaries may race.
func lockFile(string) (func(), error) { return func() {}, nil }
