package scope

import (
	"slices"

	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

// check applies the limits of grant i to r, in the order time, instruments, venues, amounts,
// rate.
func (l *Limits) check(i int, r *Request) Decision {
	if d, ok := l.checkWindows(i, r); !ok {
		return d
	}
	if d, ok := listed(i, "instruments", l.Instruments, r.Instrument, ReasonInstrumentDenied); !ok {
		return d
	}
	if d, ok := listed(i, "venues", l.Venues, r.Venue, ReasonVenueDenied); !ok {
		return d
	}
	if d, ok := l.checkAmounts(i, r); !ok {
		return d
	}
	if l.Rate != nil {
		if r.RecentRequests == nil {
			return deny(ReasonInputRequired, i, "rate", "the rate limit needs the count of recent requests")
		}
		n := r.RecentRequests(l.Rate.Period)
		if n < 0 {
			return deny(ReasonInvalidRequest, i, "rate", "negative count of recent requests")
		}
		if n >= l.Rate.Count { // n+1 > Count, without overflow
			return deny(ReasonRateExceeded, i, "rate", "%d requests in the last %s already, at most %d allowed", n, l.Rate.Period, l.Rate.Count)
		}
	}
	return allow(i)
}

func (l *Limits) checkWindows(i int, r *Request) (Decision, bool) {
	if l.TimeWindows == nil {
		return Decision{}, true
	}
	for _, w := range l.TimeWindows {
		if w.Contains(r.At) {
			return Decision{}, true
		}
	}
	return deny(ReasonOutsideTimeWindow, i, "timeWindows", "%s is outside every permitted time window", r.At.UTC().Format("2006-01-02T15:04:05Z")), false
}

func (l *Limits) checkAmounts(i int, r *Request) (Decision, bool) {
	if l.MaxAmount == nil && l.DailyVolume == nil {
		return Decision{}, true
	}
	limit := "maxAmount"
	if l.MaxAmount == nil {
		limit = "dailyVolume"
	}
	if r.Amount.IsZero() {
		return deny(ReasonInputRequired, i, limit, "the %s limit needs the request's amount", limit), false
	}
	amount, ok := parseDecimal(r.Amount.Value)
	if !ok || !validCurrency(r.Amount.Currency) {
		return deny(ReasonInvalidRequest, i, limit, "amount %s %s is not a decimal and an ISO 4217 code", claims.Quote(r.Amount.Value), claims.Quote(r.Amount.Currency)), false
	}
	if m := l.MaxAmount; m != nil {
		if r.Amount.Currency != m.Currency {
			return deny(ReasonCurrencyMismatch, i, "maxAmount", "amount in %s, limit in %s", r.Amount.Currency, m.Currency), false
		}
		ceiling, ok := parseDecimal(m.Value)
		if !ok {
			return deny(ReasonInvalidRequest, i, "maxAmount", "the limit %s is not a decimal", claims.Quote(m.Value)), false
		}
		if amount.cmp(ceiling) > 0 {
			return deny(ReasonMaxAmountExceeded, i, "maxAmount", "%s %s exceeds %s %s", r.Amount.Value, r.Amount.Currency, m.Value, m.Currency), false
		}
	}
	return l.checkDaily(i, r, amount)
}

func (l *Limits) checkDaily(i int, r *Request, amount decimal) (Decision, bool) {
	v := l.DailyVolume
	if v == nil {
		return Decision{}, true
	}
	if r.Amount.Currency != v.Currency {
		return deny(ReasonCurrencyMismatch, i, "dailyVolume", "amount in %s, limit in %s", r.Amount.Currency, v.Currency), false
	}
	if r.DailyTotalSoFar.IsZero() {
		return deny(ReasonInputRequired, i, "dailyVolume", "the dailyVolume limit needs the day's total so far"), false
	}
	sofar, ok := parseDecimal(r.DailyTotalSoFar.Value)
	if !ok || r.DailyTotalSoFar.Currency != v.Currency {
		return deny(ReasonInvalidRequest, i, "dailyVolume", "the day's total must be a decimal in %s", v.Currency), false
	}
	ceiling, ok := parseDecimal(v.Value)
	if !ok {
		return deny(ReasonInvalidRequest, i, "dailyVolume", "the limit %s is not a decimal", claims.Quote(v.Value)), false
	}
	if sofar.add(amount).cmp(ceiling) > 0 {
		return deny(ReasonDailyVolumeExceeded, i, "dailyVolume", "%s %s today plus %s exceeds %s", r.DailyTotalSoFar.Value, v.Currency, r.Amount.Value, v.Value), false
	}
	return Decision{}, true
}

// listed checks a list limit: the request must name a value, and it must be listed.
func listed(i int, limit string, list []string, value string, denied Reason) (Decision, bool) {
	switch {
	case list == nil:
		return Decision{}, true
	case value == "":
		return deny(ReasonInputRequired, i, limit, "the %s limit needs the request's value", limit), false
	case !slices.Contains(list, value):
		return deny(denied, i, limit, "%s is not among the permitted %s", claims.Quote(value), limit), false
	}
	return Decision{}, true
}
