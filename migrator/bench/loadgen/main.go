// Command loadgen is the HTTP load generator of `migrate bench`: a loopback client with keep-alive
// connections, standard library only, built with `go build` into a cache directory at bench time.
//
//	loadgen -c 16 -d 5s URL [URL...]            closed loop: 16 connections, each sends its next request
//	                                             as soon as the previous answer is read (saturation)
//	loadgen -c 64 -d 5s -rate 400 URL [URL...]  open loop: 400 requests per second on a fixed schedule,
//	                                             whatever the answers take (an equal offered load)
//	loadgen -method POST -body '{"quantity": 3}' URL   the same with another method and a JSON body (a write)
//
// Requests cycle through the URLs. Latency is measured from the moment a request was due (open loop:
// its scheduled time, so a slow server cannot hide queueing; closed loop: when it was sent) to the end
// of its body. Closed loop: requests sent and answered inside the measured window count; open loop:
// every request due inside the window counts, however late its answer. A JSON object on stdout:
// requests, errors (transport), non_2xx, rps, latency percentiles in milliseconds.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type result struct {
	Mode        string  `json:"mode"`
	Connections int     `json:"connections"`
	Rate        float64 `json:"rate"`
	Seconds     float64 `json:"seconds"`
	Requests    int     `json:"requests"`
	Errors      int64   `json:"errors"`
	Non2xx      int64   `json:"non_2xx"`
	Unsent      int64   `json:"unsent"`
	RPS         float64 `json:"rps"`
	P50         float64 `json:"p50_ms"`
	P90         float64 `json:"p90_ms"`
	P99         float64 `json:"p99_ms"`
	Max         float64 `json:"max_ms"`
	Mean        float64 `json:"mean_ms"`
	FirstError  string  `json:"first_error,omitempty"`
}

type recorder struct {
	mu       sync.Mutex
	lat      []time.Duration
	errors   atomic.Int64
	non2xx   atomic.Int64
	firstErr atomic.Value
}

func (r *recorder) add(local []time.Duration) {
	r.mu.Lock()
	r.lat = append(r.lat, local...)
	r.mu.Unlock()
}

// method and body of every request (-method, -body): GET without a body by default.
var method, body = http.MethodGet, ""

// do sends one request and reads the whole answer: the status, or the transport error.
func do(client *http.Client, url string) (int, error) {
	var payload io.Reader
	if body != "" {
		payload = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, payload)
	if err != nil {
		return 0, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// count records one request of the measured window: its latency when answered, else a transport error.
func (r *recorder) count(local *[]time.Duration, url string, status int, err error, latency time.Duration) {
	switch {
	case err != nil:
		r.errors.Add(1)
		r.firstErr.CompareAndSwap(nil, err.Error())
	case status < 200 || status > 299:
		r.non2xx.Add(1)
		r.firstErr.CompareAndSwap(nil, fmt.Sprintf("%s: status %d", url, status))
		*local = append(*local, latency)
	default:
		*local = append(*local, latency)
	}
}

func newClient(conns int) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:         dialer.DialContext,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
}

// closedLoop: conns workers, each sending its next request when the previous answer is read.
func closedLoop(client *http.Client, urls []string, conns int, warmup, d time.Duration, rec *recorder) {
	start := time.Now()
	begin, end := start.Add(warmup), start.Add(warmup+d)
	var wg sync.WaitGroup
	var next atomic.Uint64
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 4096)
			for {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				url := urls[next.Add(1)%uint64(len(urls))]
				status, err := do(client, url)
				t1 := time.Now()
				if !t0.Before(begin) && t1.Before(end) {
					rec.count(&local, url, status, err, t1.Sub(t0))
				}
			}
			rec.add(local)
		}()
	}
	wg.Wait()
}

// openLoop: requests due at a fixed rate, taken by up to conns workers; latency counts from the due time.
func openLoop(client *http.Client, urls []string, conns int, rate float64, warmup, d time.Duration,
	rec *recorder) int64 {
	start := time.Now()
	begin, end := start.Add(warmup), start.Add(warmup+d)
	interval := time.Duration(float64(time.Second) / rate)
	total := int((warmup + d) / interval)
	due := make(chan time.Time, total+1)
	var wg sync.WaitGroup
	var next atomic.Uint64
	var unsent atomic.Int64
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 4096)
			for t := range due {
				if time.Now().After(end.Add(10 * time.Second)) {
					unsent.Add(1) // queued 10 s past the window: a server that keeps up has none
					continue
				}
				url := urls[next.Add(1)%uint64(len(urls))]
				status, err := do(client, url)
				t1 := time.Now()
				if !t.Before(begin) { // every request due in the window counts, however late it ends
					rec.count(&local, url, status, err, t1.Sub(t))
				}
			}
			rec.add(local)
		}()
	}
	for i := 0; i < total; i++ {
		t := start.Add(time.Duration(i) * interval)
		if wait := time.Until(t); wait > 0 {
			time.Sleep(wait)
		}
		due <- t
	}
	close(due)
	wg.Wait()
	return unsent.Load()
}

func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return ms(sorted[i])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func main() {
	conns := flag.Int("c", 16, "connections (closed loop) or concurrent requests at most (open loop)")
	d := flag.Duration("d", 5*time.Second, "measured duration")
	warmup := flag.Duration("warmup", 0, "load before the measured window, not counted")
	rate := flag.Float64("rate", 0, "requests per second (open loop); 0: closed loop")
	flag.StringVar(&method, "method", http.MethodGet, "the requests' method")
	flag.StringVar(&body, "body", "", "the requests' JSON body (none: empty)")
	flag.Parse()
	urls := flag.Args()
	if len(urls) == 0 || *conns < 1 || *d <= 0 || *rate < 0 {
		fmt.Fprintln(os.Stderr, "usage: loadgen [-c N] [-d DURATION] [-warmup DURATION] [-rate R] URL [URL...]")
		os.Exit(2)
	}
	client := newClient(*conns)
	rec := &recorder{}
	res := result{Mode: "closed", Connections: *conns, Rate: *rate, Seconds: d.Seconds()}
	if *rate > 0 {
		res.Mode = "open"
		res.Unsent = openLoop(client, urls, *conns, *rate, *warmup, *d, rec)
	} else {
		closedLoop(client, urls, *conns, *warmup, *d, rec)
	}
	sort.Slice(rec.lat, func(i, j int) bool { return rec.lat[i] < rec.lat[j] })
	res.Requests = len(rec.lat)
	res.Errors, res.Non2xx = rec.errors.Load(), rec.non2xx.Load()
	if e, ok := rec.firstErr.Load().(string); ok {
		res.FirstError = e
	}
	res.RPS = float64(res.Requests) / d.Seconds()
	res.P50, res.P90, res.P99 = percentile(rec.lat, 0.50), percentile(rec.lat, 0.90), percentile(rec.lat, 0.99)
	if n := len(rec.lat); n > 0 {
		var sum time.Duration
		for _, l := range rec.lat {
			sum += l
		}
		res.Max, res.Mean = ms(rec.lat[n-1]), ms(sum/time.Duration(n))
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(res); err != nil {
		os.Exit(1)
	}
}
