package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/mod/sumdb/note"

	"github.com/kakunin-dev/kakunin/audit"
	"github.com/kakunin-dev/kakunin/store"
)

// serviceMetrics are the domain metrics of `kakunin serve` on /metrics, next to
// the server's HTTP metrics: resolutions (metrics_resolver.go), the events this
// process acknowledged (metrics_events.go) and gauges read from the shared store
// at each scrape (CRL age per owner, audit log size and checkpoint lag), which
// every replica reports alike. It is a server role: mounting it adds the event
// middleware, and the server registers its collectors.
type serviceMetrics struct {
	resolver *resolverMetrics
	events   *eventMetrics
	store    *storeGauges
}

func newServiceMetrics(s *service) *serviceMetrics {
	return &serviceMetrics{resolver: newResolverMetrics(), events: newEventMetrics(),
		store: &storeGauges{svc: s}}
}

// Mount adds the event middleware.
func (m *serviceMetrics) Mount(e *echo.Echo) { e.Use(m.events.middleware()) }

// Collectors implements server.Collecting.
func (m *serviceMetrics) Collectors() []prometheus.Collector {
	return append(append(m.resolver.collectors(), m.events.collectors()...), m.store)
}

// scrapeTimeout bounds the store reads of one scrape.
const scrapeTimeout = 2 * time.Second

var (
	crlAgeDesc = prometheus.NewDesc("kakunin_crl_age_seconds",
		"Age of the owner CA's current CRL (now − thisUpdate).", []string{"owner"}, nil)
	crlNextDesc = prometheus.NewDesc("kakunin_crl_next_update_seconds",
		"Time left until the owner CA's current CRL's nextUpdate (negative: stale).", []string{"owner"}, nil)
	treeSizeDesc = prometheus.NewDesc("kakunin_audit_tree_size",
		"Entries in the audit log (tree size).", nil, nil)
	checkpointSizeDesc = prometheus.NewDesc("kakunin_audit_checkpoint_size",
		"Tree size of the latest signed checkpoint.", nil, nil)
	checkpointAgeDesc = prometheus.NewDesc("kakunin_audit_checkpoint_age_seconds",
		"How stale the latest checkpoint is: the age of the oldest entry it does not cover (0 when it covers the whole log).", nil, nil)
)

// storeGauges reads the shared store at scrape time. A failed read leaves its
// series out of that scrape (and is logged).
type storeGauges struct{ svc *service }

func (g *storeGauges) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{crlAgeDesc, crlNextDesc, treeSizeDesc, checkpointSizeDesc, checkpointAgeDesc} {
		ch <- d
	}
}

func (g *storeGauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	now := g.svc.now()
	g.collectCRLs(ctx, now, ch)
	if err := g.collectAudit(ctx, now, ch); err != nil {
		g.svc.log.Warn("metrics: reading the audit log failed", "error", err)
	}
}

// collectCRLs reports the CRL of every owner whose key this process holds.
func (g *storeGauges) collectCRLs(ctx context.Context, now time.Time, ch chan<- prometheus.Metric) {
	entries, err := os.ReadDir(filepath.Join(g.svc.cfg.DataDir, ownersDir))
	if err != nil {
		return
	}
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".key")
		if !ok {
			id, ok = strings.CutSuffix(e.Name(), ".uri")
		}
		if !ok {
			continue
		}
		crl, err := g.svc.ca.CRL(ctx, id)
		if err != nil {
			continue // not an owner of the store, or no CRL yet
		}
		ch <- prometheus.MustNewConstMetric(crlAgeDesc, prometheus.GaugeValue, now.Sub(crl.ThisUpdate).Seconds(), id)
		ch <- prometheus.MustNewConstMetric(crlNextDesc, prometheus.GaugeValue, crl.NextUpdate.Sub(now).Seconds(), id)
	}
}

// collectAudit reports the tree size (read under the log's append lock, held for
// one query), the latest checkpoint's size and how stale it is.
func (g *storeGauges) collectAudit(ctx context.Context, now time.Time, ch chan<- prometheus.Metric) error {
	var size uint64
	err := g.svc.db.Tx(ctx, func(tx store.Tx) error {
		atx, err := store.Audit(tx)
		if err != nil {
			return err
		}
		size, err = atx.LockTree(ctx)
		return err
	})
	if err != nil {
		return err
	}
	r, ok := g.svc.db.(audit.Reader)
	if !ok {
		return store.ErrSchema
	}
	signed, err := r.LatestCheckpoint(ctx)
	if err != nil {
		return err
	}
	var covered uint64
	if signed != nil {
		v, err := note.NewVerifier(g.svc.audit.VerifierKey())
		if err != nil {
			return err
		}
		cp, err := audit.OpenCheckpoint(signed, g.svc.audit.Origin(), v)
		if err != nil {
			return err
		}
		covered = cp.Size
	}
	age := 0.0
	if covered < size {
		oldest, err := r.EntriesRange(ctx, covered, covered+1)
		if err != nil {
			return err
		}
		if len(oldest) != 1 {
			return fmt.Errorf("audit entry %d: %w", covered, store.ErrNotFound)
		}
		e, err := audit.ParseEntry(oldest[0].Entry)
		if err != nil {
			return err
		}
		age = max(0, now.Sub(e.Time).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(treeSizeDesc, prometheus.GaugeValue, float64(size))
	ch <- prometheus.MustNewConstMetric(checkpointSizeDesc, prometheus.GaugeValue, float64(covered))
	ch <- prometheus.MustNewConstMetric(checkpointAgeDesc, prometheus.GaugeValue, age)
	return nil
}
