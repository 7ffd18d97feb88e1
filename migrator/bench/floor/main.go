// Command floor is the floor of `migrate bench` (cold start, memory, CPU per request): the least a Go
// service can do on this machine for a database-backed 200. It listens at once and opens ONE PostgreSQL
// connection (pgx, no pool, no ORM, no router) at the same time; a request waits for that connection,
// runs one statement (prepared once and executed, as sqlc's queries are), reads its rows and answers 200
// with their number. Built by the bench next to the generated tree's go.mod (the same pgx).
//
//	FLOOR_MODE=nodb  answer 200 without a database: exec + Go runtime + listen only
//	FLOOR_MODE=db    (default) one connection, one statement per request
//
// Environment: PORT (required), HOST [127.0.0.1], DATABASE_URL (mode db), FLOOR_SQL [SELECT 1].
package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"

	"github.com/jackc/pgx/v5"
)

func main() {
	ln, err := net.Listen("tcp", net.JoinHostPort(host(), os.Getenv("PORT")))
	if err != nil {
		os.Exit(1)
	}
	var handler http.HandlerFunc
	if os.Getenv("FLOOR_MODE") == "nodb" {
		handler = func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }
	} else {
		handler = dbHandler()
	}
	http.Serve(ln, handler)
}

func dbHandler() http.HandlerFunc {
	var (
		conn *pgx.Conn
		err  error
		mu   sync.Mutex
	)
	ready := make(chan struct{})
	go func() {
		conn, err = pgx.Connect(context.Background(), os.Getenv("DATABASE_URL"))
		close(ready)
	}()
	query := os.Getenv("FLOOR_SQL")
	if query == "" {
		query = "SELECT 1"
	}
	return func(w http.ResponseWriter, r *http.Request) {
		<-ready
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		rows, err := conn.Query(r.Context(), query)
		n := 0
		for err == nil && rows.Next() {
			n++
		}
		if err == nil {
			err = rows.Err()
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write([]byte(strconv.Itoa(n)))
	}
}

func host() string {
	if h := os.Getenv("HOST"); h != "" {
		return h
	}
	return "127.0.0.1"
}
