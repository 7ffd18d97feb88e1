// Allocations per request of the generated server, for `migrate bench`: compiled into a copy of the
// tree's http package (package main, -tags nosqlite,nogorm) as zz_migrator_allocs_test.go, never written
// into the tree itself. Each endpoint of BENCH_ENDPOINTS (JSON: a list of {method, paths, body}) goes through the
// server's whole handler chain (Middleware, the mux, the handler, its queries on a one-connection pool)
// as httptest requests, without the network; "httptest" is the recorder and request alone.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func BenchmarkMigratorEndpoint(b *testing.B) {
	var endpoints []struct {
		Method string   `json:"method"`
		Paths  []string `json:"paths"`
		Body   string   `json:"body"`
	}
	if err := json.Unmarshal([]byte(os.Getenv("BENCH_ENDPOINTS")), &endpoints); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError}))
	s, warm, closeDB, err := openServer(dbConfig{URL: os.Getenv("BENCH_DATABASE_URL"), MaxOpenConns: 1}, log)
	if err != nil {
		b.Fatal(err)
	}
	defer closeDB()
	if err := warm(context.Background()); err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	s.Register(mux)
	run := func(b *testing.B, h http.Handler, method string, paths []string, body string) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var payload io.Reader
			if body != "" {
				payload = strings.NewReader(body)
			}
			r := httptest.NewRequest(method, paths[i%len(paths)], payload)
			if body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code < 200 || w.Code > 299 {
				b.Fatalf("%s %s: status %d", method, paths[i%len(paths)], w.Code)
			}
		}
	}
	b.Run("httptest", func(b *testing.B) {
		run(b, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), http.MethodGet, []string{"/"}, "")
	})
	handler := Middleware(mux, log, 2621440)
	for i, e := range endpoints {
		b.Run(fmt.Sprintf("e%d", i), func(b *testing.B) { run(b, handler, e.Method, e.Paths, e.Body) })
	}
}
