package main

// This file is yours: migrator wrote it once and never overwrites it.
//
// The HTTP service that takes over the Django project's endpoints, on the database Django owns:
//
//	DATABASE_URL=postgres://user:pass@host:5432/shop PORT=8080 go run ./http
//
// Configuration, from the environment (defaults in brackets):
//
//	DATABASE_URL           postgres:// or postgresql:// URL, or a SQLite path (required)
//	PORT                   port to listen on [8080]; HOST the address [all interfaces]
//	DB_MAX_OPEN_CONNS      connection pool size, GORM and sqlc together [10]
//	DB_MAX_IDLE_CONNS      idle connections kept, SQLite [5] (PostgreSQL: pgx keeps them)
//	DB_CONN_MAX_LIFETIME   a connection's longest life [30m]
//	READ_TIMEOUT, WRITE_TIMEOUT, IDLE_TIMEOUT   [10s, 30s, 60s]
//	SHUTDOWN_TIMEOUT       how long in-flight requests get after SIGTERM [15s]
//	MAX_BODY_BYTES         request body limit [2621440, Django's DATA_UPLOAD_MAX_MEMORY_SIZE]
//	LOG_LEVEL              debug, info, warn or error [info]
//
// A service that only serves PostgreSQL, built small: go build -tags nosqlite,nogorm -trimpath -ldflags='-s -w' ./http
// (nosqlite: no SQLite driver; nogorm: no GORM, for handlers that do not write through it; -s -w: no
// symbol table or DWARF; -trimpath: no paths of the build machine).
//
// Start-up does no database round trip before listening: the port is bound first, the pool opens
// without connecting, and its first connection is made in the background while the routes are
// registered (a database that cannot be reached still stops the server). LOG_LEVEL=debug logs
// where the start-up time went (bench/coldstart.py reads it).

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	started := time.Now()
	log := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: logLevel(Env("LOG_LEVEL", "info"))}))
	if err := run(log, started); err != nil {
		log.Error("server failed", "error", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger, started time.Time) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	// Listen first: a request that comes while the rest starts waits in the backlog instead of being refused.
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.Host, cfg.Port))
	if err != nil {
		return err
	}
	defer ln.Close()
	listened := time.Since(started)
	// One bounded pool: on PostgreSQL a pgx pool that the sqlc queries (and GORM, unless built with -tags
	// nogorm) share. It opens without connecting; warm makes its first connection beside the rest of the start-up.
	s, warm, closeDB, err := openServer(dbConfig{URL: cfg.DatabaseURL, MaxOpenConns: cfg.MaxOpenConns,
		MaxIdleConns: cfg.MaxIdleConns, ConnMaxLifetime: cfg.ConnMaxLifetime}, log)
	if err != nil {
		return err
	}
	defer closeDB()
	opened := time.Since(started)
	errs := make(chan error, 2)
	go func() {
		if err := warm(context.Background()); err != nil {
			errs <- fmt.Errorf("connect to the database: %w", err)
			return
		}
		log.Debug("start-up: first database connection", "connected_ms", ms(time.Since(started)))
	}()
	mux := http.NewServeMux()
	s.Register(mux)
	srv := &http.Server{
		Addr:              ln.Addr().String(),
		Handler:           Middleware(mux, log, cfg.MaxBodyBytes),
		ReadTimeout:       cfg.ReadTimeout,
		ReadHeaderTimeout: cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log.Info("listening", "addr", srv.Addr, "routes", routeCount)
	log.Debug("start-up: serving", "main_unix_us", started.UnixMicro(), "listening_ms", ms(listened),
		"pool_opened_ms", ms(opened), "serving_ms", ms(time.Since(started)))
	go func() { errs <- srv.Serve(ln) }()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

type config struct {
	DatabaseURL, Host, Port                    string
	MaxOpenConns, MaxIdleConns                 int
	MaxBodyBytes                               int64
	ConnMaxLifetime, ReadTimeout, WriteTimeout time.Duration
	IdleTimeout, ShutdownTimeout               time.Duration
}

func loadConfig() (config, error) {
	cfg := config{DatabaseURL: os.Getenv("DATABASE_URL"), Host: os.Getenv("HOST"), Port: Env("PORT", "8080")}
	if cfg.DatabaseURL == "" {
		return cfg, errors.New("DATABASE_URL is not set (a postgres:// URL or a SQLite path)")
	}
	var errs []error
	integer := func(key string, def int) int {
		v, err := EnvInt(key, def)
		errs = append(errs, err)
		return v
	}
	duration := func(key string, def time.Duration) time.Duration {
		v, err := EnvDuration(key, def)
		errs = append(errs, err)
		return v
	}
	cfg.MaxOpenConns = integer("DB_MAX_OPEN_CONNS", 10)
	cfg.MaxIdleConns = integer("DB_MAX_IDLE_CONNS", 5)
	cfg.MaxBodyBytes = int64(integer("MAX_BODY_BYTES", 2621440))
	cfg.ConnMaxLifetime = duration("DB_CONN_MAX_LIFETIME", 30*time.Minute)
	cfg.ReadTimeout = duration("READ_TIMEOUT", 10*time.Second)
	cfg.WriteTimeout = duration("WRITE_TIMEOUT", 30*time.Second)
	cfg.IdleTimeout = duration("IDLE_TIMEOUT", 60*time.Second)
	cfg.ShutdownTimeout = duration("SHUTDOWN_TIMEOUT", 15*time.Second)
	return cfg, errors.Join(errs...)
}

// ms is a duration in milliseconds, to the microsecond, for the start-up log.
func ms(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

func logLevel(name string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(name)); err != nil {
		return slog.LevelInfo
	}
	return l
}
