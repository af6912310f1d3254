package vc

import (
	"errors"
	"strconv"
	"time"
)

var errDateTime = errors.New("not an XML Schema dateTime")

// parseDateTime reads an XML Schema 1.1 Part 2 dateTime (§3.3.7) and, when requireZone is set,
// a dateTimeStamp (§3.3.28), whose time zone is required. VC 2.0 §4.9: validFrom and validUntil
// "MUST be a [XMLSCHEMA11-2] dateTimeStamp string value". A value without a zone is read as UTC
// (VC 2.0 §5.4: "Time values that are incorrectly serialized without an offset MUST be
// interpreted as UTC"); that applies to Data Model 1.1 dates, which are plain dateTime.
// Lexical form, after the regular expression of VC 2.0 §5.4 with the day checked against the
// month: -?YYYY+-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm), with 24:00:00 meaning the next midnight.
func parseDateTime(s string, requireZone bool) (time.Time, error) {
	p := dtParser{s: s}
	year, month, day := p.date()
	p.expect('T')
	hour, minute, sec, nsec := p.clock()
	loc := p.zone(requireZone)
	if p.err != nil || p.i != len(s) || !validDay(year, month, day) {
		return time.Time{}, errDateTime
	}
	if hour == 24 {
		if minute != 0 || sec != 0 || nsec != 0 {
			return time.Time{}, errDateTime
		}
		return time.Date(year, time.Month(month), day+1, 0, 0, 0, 0, loc), nil
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc), nil
}

type dtParser struct {
	s   string
	i   int
	err error
}

func (p *dtParser) date() (year, month, day int) {
	sign := 1
	if p.peek() == '-' {
		sign, p.i = -1, p.i+1
	}
	start := p.i
	year = p.digits(4, 9)
	if p.i-start > 4 && p.s[start] == '0' { // more than four digits must not start with 0
		p.fail()
	}
	p.expect('-')
	month = p.digits(2, 2)
	p.expect('-')
	day = p.digits(2, 2)
	return sign * year, month, day
}

func (p *dtParser) clock() (hour, minute, sec, nsec int) {
	hour = p.digits(2, 2)
	p.expect(':')
	minute = p.digits(2, 2)
	p.expect(':')
	sec = p.digits(2, 2)
	if p.peek() == '.' {
		p.i++
		nsec = p.fraction()
	}
	if hour > 24 || minute > 59 || sec > 59 {
		p.fail()
	}
	return hour, minute, sec, nsec
}

func (p *dtParser) zone(required bool) *time.Location {
	switch p.peek() {
	case 'Z':
		p.i++
		return time.UTC
	case '+', '-':
		sign := 1
		if p.s[p.i] == '-' {
			sign = -1
		}
		p.i++
		h := p.digits(2, 2)
		p.expect(':')
		m := p.digits(2, 2)
		if m > 59 || h > 14 || (h == 14 && m != 0) {
			p.fail()
		}
		return time.FixedZone("", sign*(h*3600+m*60))
	}
	if required {
		p.fail()
	}
	return time.UTC
}

func (p *dtParser) fraction() int {
	start, nsec, scale := p.i, 0, 100_000_000
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		nsec += int(p.s[p.i]-'0') * scale // digits beyond nanoseconds are truncated
		scale /= 10
		p.i++
	}
	if p.i == start {
		p.fail()
	}
	return nsec
}

// digits reads between min and max decimal digits.
func (p *dtParser) digits(min, max int) int {
	start := p.i
	for p.i < len(p.s) && p.i-start < max && isDigit(p.s[p.i]) {
		p.i++
	}
	if p.i-start < min {
		p.fail()
		return 0
	}
	n, _ := strconv.Atoi(p.s[start:p.i])
	return n
}

func (p *dtParser) expect(c byte) {
	if p.peek() != c {
		p.fail()
		return
	}
	p.i++
}

func (p *dtParser) peek() byte {
	if p.err != nil || p.i >= len(p.s) {
		return 0
	}
	return p.s[p.i]
}

func (p *dtParser) fail() {
	if p.err == nil {
		p.err = errDateTime
	}
	p.i = len(p.s) + 1 // stop reading
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// validDay checks day against the month of the proleptic Gregorian year (XML Schema years are
// astronomical in 1.1: year 0 exists and is a leap year).
func validDay(year, month, day int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
