package scope

import (
	"strings"
	"time"
	_ "time/tzdata" // IANA zones are part of the grammar; do not depend on the host's copy
)

// TimeWindow is a recurring period in which a grant may be used: on the given days of the
// week, from Start (inclusive) to End (exclusive), both wall-clock times in Location.
type TimeWindow struct {
	Days     []time.Weekday // empty: every day
	Start    time.Duration  // since local midnight, a whole number of minutes
	End      time.Duration  // after Start; 24h is the end of the day
	Location *time.Location // IANA zone
	days     uint8          // dayMask(Days), computed by the parser
}

// dayNames are the accepted day names, indexed by time.Weekday.
var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func parseDay(s string) (time.Weekday, bool) {
	for d, name := range dayNames {
		if s == name {
			return time.Weekday(d), true
		}
	}
	return 0, false
}

// parseClock parses "HH:MM" from 00:00 to 23:59, or "24:00".
func parseClock(s string) (time.Duration, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, ok1 := digits(s[:2])
	m, ok2 := digits(s[3:])
	if !ok1 || !ok2 || m > 59 || h > 24 || h == 24 && m != 0 {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, true
}

// loadZone loads an IANA zone name. "Local" and "" are refused: a credential must not mean
// different hours on different machines.
func loadZone(name string) (*time.Location, bool) {
	if name == "" || name == "Local" || len(name) > 64 || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}

// Contains reports whether the instant t falls in w: the wall-clock time of t in w.Location is
// on one of w's days and within [Start, End). Across a daylight-saving change the wall clock
// decides: a window 02:00–03:00 is empty on a spring-forward night in Europe/Berlin, and open
// twice on the fall-back night.
// A nil Location is UTC.
func (w TimeWindow) Contains(t time.Time) bool {
	loc, days := w.Location, w.days
	if loc == nil {
		loc = time.UTC
	}
	if days == 0 {
		days = dayMask(w.Days)
	}
	lt := t.In(loc)
	if days&(1<<lt.Weekday()) == 0 {
		return false
	}
	h, m, s := lt.Clock()
	since := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second + time.Duration(lt.Nanosecond())
	return since >= w.Start && since < w.End
}

func dayMask(days []time.Weekday) uint8 {
	if len(days) == 0 {
		return 0x7f
	}
	var m uint8
	for _, d := range days {
		m |= 1 << d
	}
	return m
}
