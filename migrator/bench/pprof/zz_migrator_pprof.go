// Profiling hook for bench/cpu_per_request.py --pprof: copied into a copy of the tree's http package (package
// main) as zz_migrator_pprof.go, never written into the tree itself. With MIGRATOR_PPROF=host:port the
// server also serves net/http/pprof there (its own listener, not the application's mux), so the CPU and
// allocation profiles are taken under the load generator, as the bench measures CPU per request.
package main

import (
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	if addr := os.Getenv("MIGRATOR_PPROF"); addr != "" {
		go http.ListenAndServe(addr, http.DefaultServeMux)
	}
}
