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
// A service that only serves PostgreSQL: go build -tags nosqlite ./http (no SQLite driver in the binary).

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

	"shopapigo/gorm/models"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: logLevel(Env("LOG_LEVEL", "info"))}))
	if err := run(log); err != nil {
		log.Error("server failed", "error", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	// One bounded pool: on PostgreSQL a pgx pool that GORM and the sqlc queries share.
	db, err := models.OpenPool(cfg.DatabaseURL, models.PoolConfig{
		MaxOpenConns: cfg.MaxOpenConns, MaxIdleConns: cfg.MaxIdleConns, ConnMaxLifetime: cfg.ConnMaxLifetime})
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	defer sqlDB.Close() // closes the pool

	s, err := NewServer(context.Background(), db, log, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer s.Close()
	mux := http.NewServeMux()
	s.Register(mux)
	srv := &http.Server{
		Addr:              net.JoinHostPort(cfg.Host, cfg.Port),
		Handler:           Middleware(mux, log, cfg.MaxBodyBytes),
		ReadTimeout:       cfg.ReadTimeout,
		ReadHeaderTimeout: cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errs := make(chan error, 1)
	go func() {
		log.Info("listening", "addr", srv.Addr, "routes", len(s.Routes()))
		errs <- srv.ListenAndServe()
	}()
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

func logLevel(name string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(name)); err != nil {
		return slog.LevelInfo
	}
	return l
}
