// Allocations per request of the generated server, for `migrate bench`: compiled into a copy of the
// tree's http package (package main, -tags nosqlite,nogorm) as zz_migrator_allocs_test.go, never written
// into the tree itself. Each endpoint of BENCH_ENDPOINTS (JSON: a list of lists of paths) goes through the
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
	"testing"
)

func BenchmarkMigratorEndpoint(b *testing.B) {
	var endpoints [][]string
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
	run := func(b *testing.B, h http.Handler, paths []string) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, paths[i%len(paths)], nil))
			if w.Code != http.StatusOK {
				b.Fatalf("%s: status %d", paths[i%len(paths)], w.Code)
			}
		}
	}
	b.Run("httptest", func(b *testing.B) { run(b, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), []string{"/"}) })
	handler := Middleware(mux, log, 2621440)
	for i, paths := range endpoints {
		b.Run(fmt.Sprintf("e%d", i), func(b *testing.B) { run(b, handler, paths) })
	}
}
