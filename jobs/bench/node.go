package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// node is one orderhub process (`orderhub serve`) started by the benchmark.
type node struct {
	name       string
	cmd        *exec.Cmd
	listenURL  string
	metricsURL string
	logPath    string
	done       chan struct{}
	peakRSS    int64 // bytes, the highest seen before it stopped
}

// startNode starts an orderhub process with env added to this process's environment, and
// waits until it serves.
func startNode(ctx context.Context, name string, command []string, env []string, logDir string) (*node, error) {
	listen, err := freeAddr()
	if err != nil {
		return nil, err
	}
	metrics, err := freeAddr()
	if err != nil {
		return nil, err
	}
	n := &node{name: name, listenURL: "http://" + listen, metricsURL: "http://" + metrics + "/metrics",
		logPath: filepath.Join(logDir, name+".log"), done: make(chan struct{})}
	logFile, err := os.OpenFile(n.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	n.cmd = exec.Command(command[0], command[1:]...)
	n.cmd.Env = append(os.Environ(), env...)
	n.cmd.Env = append(n.cmd.Env, "LISTEN_ADDR="+listen, "METRICS_ADDR="+metrics, "BASE_URL="+n.listenURL)
	n.cmd.Stdout, n.cmd.Stderr = logFile, logFile
	n.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the benchmark
	if err := n.cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting %s: %w", strings.Join(command, " "), err)
	}
	go func() {
		_ = n.cmd.Wait()
		logFile.Close()
		close(n.done)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if resp, err := http.Get(n.listenURL + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return n, nil
			}
		}
		select {
		case <-n.done:
			return nil, fmt.Errorf("orderhub process %s exited at start; see %s", name, n.logPath)
		case <-ctx.Done():
			n.kill()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			n.kill()
			return nil, fmt.Errorf("orderhub process %s not ready within a minute; see %s", name, n.logPath)
		}
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// sampleRSS notes the process's peak resident memory so far (VmHWM, from /proc).
func (n *node) sampleRSS() {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", n.cmd.Process.Pid))
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil && kb*1024 > n.peakRSS {
				n.peakRSS = kb * 1024
			}
		}
	}
}

// statements reads the process's count of SQL statements from its metrics.
func (n *node) statements() (float64, error) {
	resp, err := http.Get(n.metricsURL)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		return 0, err
	}
	family := families["orderhub_db_statements_total"]
	if family == nil || len(family.Metric) == 0 {
		return 0, errors.New("no orderhub_db_statements_total in " + n.metricsURL)
	}
	return family.Metric[0].GetCounter().GetValue(), nil
}

// stop asks the process to finish its jobs and exit, and kills it after grace.
func (n *node) stop(grace time.Duration) {
	n.sampleRSS()
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-n.done:
	case <-time.After(grace):
		n.kill()
	}
}

// kill ends the process at once, as a crash or an out-of-memory kill would.
func (n *node) kill() {
	_ = n.cmd.Process.Kill()
	<-n.done
}
