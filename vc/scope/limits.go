package scope

import (
	"time"

	"github.com/kakunin-dev/kakunin/vc/internal/claims"
)

func parseLimits(v any, path string) (Limits, error) {
	o, err := claims.AsObject(v, path, "maxAmount", "dailyVolume", "rate", "instruments", "venues", "timeWindows")
	if err != nil {
		return Limits{}, err
	}
	if len(o.Members) == 0 {
		return Limits{}, claims.Malformed(path, nil, "must hold at least one limit")
	}
	var l Limits
	if l.MaxAmount, err = amountLimit(o, "maxAmount"); err != nil {
		return Limits{}, err
	}
	if l.DailyVolume, err = amountLimit(o, "dailyVolume"); err != nil {
		return Limits{}, err
	}
	if l.Rate, err = rateLimit(o); err != nil {
		return Limits{}, err
	}
	if l.Instruments, err = o.Strings("instruments", false, maxList, maxText); err != nil {
		return Limits{}, err
	}
	if l.Venues, err = o.Strings("venues", false, maxList, maxText); err != nil {
		return Limits{}, err
	}
	l.TimeWindows, err = timeWindows(o)
	return l, err
}

func amountLimit(o claims.Object, name string) (*Amount, error) {
	if !o.Has(name) {
		return nil, nil
	}
	a, err := parseAmount(o.Members[name], claims.At(o.Path, name))
	return &a, err
}

// parseAmount reads {"value": decimal string, "currency": ISO 4217 code}.
func parseAmount(v any, path string) (Amount, error) {
	o, err := claims.AsObject(v, path, "value", "currency")
	if err != nil {
		return Amount{}, err
	}
	value, err := o.Str("value", true, 2*maxDigits+1)
	if err != nil {
		return Amount{}, err
	}
	if _, ok := parseDecimal(value); !ok {
		return Amount{}, claims.Malformed(claims.At(path, "value"), nil, "must be a decimal string such as \"250.00\" (up to 18 integer and 18 fraction digits, no sign or exponent)")
	}
	cur, err := o.Str("currency", true, 3)
	if err != nil {
		return Amount{}, err
	}
	if !validCurrency(cur) {
		return Amount{}, claims.Malformed(claims.At(path, "currency"), nil, "must be an ISO 4217 alphabetic code (three upper-case letters)")
	}
	return Amount{Value: value, Currency: cur}, nil
}

func rateLimit(o claims.Object) (*Rate, error) {
	if !o.Has("rate") {
		return nil, nil
	}
	r, err := claims.AsObject(o.Members["rate"], claims.At(o.Path, "rate"), "count", "period")
	if err != nil {
		return nil, err
	}
	count, err := r.Integer("count", 1, 1_000_000)
	if err != nil {
		return nil, err
	}
	s, err := r.Str("period", true, 32)
	if err != nil {
		return nil, err
	}
	period, ok := parsePeriod(s)
	if !ok {
		return nil, claims.Malformed(claims.At(r.Path, "period"), nil, "must be an ISO 8601 duration of days, hours, minutes and seconds, such as \"PT1M\" or \"P1D\"")
	}
	return &Rate{Count: int(count), Period: period, Written: s}, nil
}

func timeWindows(o claims.Object) ([]TimeWindow, error) {
	if !o.Has("timeWindows") {
		return nil, nil
	}
	path := claims.At(o.Path, "timeWindows")
	items, err := claims.Array(o.Members["timeWindows"], path, maxWindows)
	if err != nil {
		return nil, err
	}
	out := make([]TimeWindow, len(items))
	for i, item := range items {
		if out[i], err = timeWindow(item, claims.At(path, i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func timeWindow(v any, path string) (TimeWindow, error) {
	o, err := claims.AsObject(v, path, "days", "start", "end", "timezone")
	if err != nil {
		return TimeWindow{}, err
	}
	var w TimeWindow
	if w.Days, err = days(o); err != nil {
		return TimeWindow{}, err
	}
	if w.Start, err = clock(o, "start"); err != nil {
		return TimeWindow{}, err
	}
	if w.End, err = clock(o, "end"); err != nil {
		return TimeWindow{}, err
	}
	if w.End <= w.Start {
		return TimeWindow{}, claims.Malformed(claims.At(path, "end"), nil, "must be later than start (split a window that crosses midnight in two)")
	}
	tz, err := o.Str("timezone", true, 64)
	if err != nil {
		return TimeWindow{}, err
	}
	var ok bool
	if w.Location, ok = loadZone(tz); !ok {
		return TimeWindow{}, claims.Malformed(claims.At(path, "timezone"), nil, "%s is not an IANA time zone name", claims.Quote(tz))
	}
	w.days = dayMask(w.Days)
	return w, nil
}

func days(o claims.Object) ([]time.Weekday, error) {
	names, err := o.Strings("days", false, 7, 3)
	if err != nil {
		return nil, err
	}
	out := make([]time.Weekday, len(names))
	for i, n := range names {
		d, ok := parseDay(n)
		if !ok {
			return nil, claims.Malformed(claims.At(claims.At(o.Path, "days"), i), nil, "must be one of mon, tue, wed, thu, fri, sat, sun")
		}
		out[i] = d
	}
	return out, nil
}

func clock(o claims.Object, name string) (time.Duration, error) {
	s, err := o.Str(name, true, 5)
	if err != nil {
		return 0, err
	}
	d, ok := parseClock(s)
	if !ok {
		return 0, claims.Malformed(claims.At(o.Path, name), nil, "must be a time HH:MM from 00:00 to 24:00")
	}
	return d, nil
}
