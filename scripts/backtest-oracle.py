#!/usr/bin/python3
"""Oracle for pulse's backtest statistics: an SMA-cross on GOOG daily bars, simulated independently with pulse's
execution rules, then scored with backtesting.py's `compute_stats` definitions (backtesting/_stats.py, kernc/
backtesting.py, transcribed with numpy and pandas because the package itself is not installable here) and with
pulse's own definitions where they differ on purpose.

Execution rules (docs/backtest.md): the signal from bar i's close fills at bar i+1's open; long while SMA(fast) >
SMA(slow), short while below (long-short) or flat (long-only); every fill pays slippage against the trader (bps of
the price) and a fee (bps of notional); an entry commits all equity including its fee; a position open after the last
bar closes at the last close. A third run adds ATR stop-loss and take-profit levels with pulse's conservative fill
rule (see `simulate`).

Usage: /usr/bin/python3 scripts/backtest-oracle.py ../shared/data/market/backtesting.py/GOOG-1d.csv \
           > test/fixtures/backtest/goog-sma-cross-oracle.json
"""
import json
import sys

import numpy as np
import pandas as pd

FAST, SLOW = 10, 20
CAPITAL = 10_000.0
FEE_BPS, SLIP_BPS = 10.0, 5.0
PERIODS_PER_YEAR = 252
ATR_PERIOD = 14
STOP_ATR, TAKE_ATR = 1.5, 3.0


def wilder_atr(df, period):
    """Wilder ATR: seeded at bar `period` with the mean true range of bars 1..period, then smoothed by 1/period."""
    h, l, c = df.high.values, df.low.values, df.close.values
    n = len(df)
    out = np.full(n, np.nan)
    tr = np.maximum(h[1:], c[:-1]) - np.minimum(l[1:], c[:-1])
    atr = tr[:period].mean()
    out[period] = atr
    for i in range(period + 1, n):
        atr += (tr[i - 1] - atr) / period
        out[i] = atr
    return out


def simulate(df, direction, stop_atr=None, take_atr=None):
    """Pulse's execution rules, written as a plain per-bar loop (no shared code with pulse).

    With stops: levels are fixed at entry from the ATR of the signal bar; each held bar (the entry bar included) is
    checked against its low and high; a gap through the stop fills at the open; a bar touching both levels counts
    as a stop; after a stop or take-profit the same side is not re-entered until the signal leaves it."""
    o, h, l, c = df.open.values, df.high.values, df.low.values, df.close.values
    n = len(df)
    atr = wilder_atr(df, ATR_PERIOD) if stop_atr or take_atr else None
    fast = pd.Series(c).rolling(FAST).mean().values
    slow = pd.Series(c).rolling(SLOW).mean().values
    sig = np.where(fast > slow, 1, np.where(fast < slow, -1, 0))
    sig[np.isnan(fast) | np.isnan(slow)] = 0
    if direction == 'long-only':
        sig[sig < 0] = 0
    fee, slip = FEE_BPS / 1e4, SLIP_BPS / 1e4
    cash, units, side, locked = CAPITAL, 0.0, 0, 0
    stop = take = np.nan
    equity = np.empty(n)
    equity[0] = cash
    trades = []
    cur = None

    def close_at(i, price, reason='signal'):
        nonlocal cash, units, side, cur
        fill = price * (1 - slip) if side > 0 else price * (1 + slip)
        f = abs(units * fill) * fee
        cash += units * fill - f
        cur.update(exit_bar=i, exit_price=fill, pnl=units * (fill - cur['entry_price']) - cur['fee'] - f,
                   fees=cur['fee'] + f, reason=reason)
        trades.append(cur)
        cur, units, side = None, 0.0, 0

    for i in range(1, n):
        want = int(sig[i - 1])
        if locked:
            if want == locked:
                want = 0
            else:
                locked = 0
        if want != side:
            if side != 0:
                close_at(i, o[i])
            if want != 0:
                fill = o[i] * (1 + slip) if want > 0 else o[i] * (1 - slip)
                notional = cash / (1 + fee)
                f = notional * fee
                units = want * notional / fill
                cash -= units * fill + f
                side = want
                cur = dict(side=want, entry_bar=i, entry_price=fill, size=abs(units), fee=f)
                stop = fill - want * stop_atr * atr[i - 1] if stop_atr else np.nan
                take = fill + want * take_atr * atr[i - 1] if take_atr else np.nan
        if side > 0:
            if l[i] <= stop:
                locked = side
                close_at(i, min(o[i], stop), 'stop-loss')
            elif h[i] >= take:
                locked = side
                close_at(i, max(o[i], take), 'take-profit')
        elif side < 0:
            if h[i] >= stop:
                locked = side
                close_at(i, max(o[i], stop), 'stop-loss')
            elif l[i] <= take:
                locked = side
                close_at(i, min(o[i], take), 'take-profit')
        if side != 0 and i == n - 1:
            close_at(i, c[i], 'end')
        equity[i] = cash + units * c[i]
    return equity, trades


def geometric_mean(returns):
    returns = returns.fillna(0) + 1
    if np.any(returns <= 0):
        return 0
    return np.exp(np.log(returns).sum() / (len(returns) or np.nan)) - 1


def drawdown_duration_peaks(dd):
    iloc = np.unique(np.r_[(dd == 0).values.nonzero()[0], len(dd) - 1])
    iloc = pd.Series(iloc, index=dd.index[iloc])
    df = iloc.to_frame('iloc').assign(prev=iloc.shift())
    df = df[df['iloc'] > df['prev'] + 1].astype(int)
    if not len(df):
        return (dd.replace(0, np.nan),) * 2
    df['duration'] = df['iloc'].map(dd.index.__getitem__) - df['prev'].map(dd.index.__getitem__)
    df['peak_dd'] = df.apply(lambda row: dd.iloc[row['prev']:row['iloc'] + 1].max(), axis=1)
    df = df.reindex(dd.index)
    return df['duration'], df['peak_dd']


def day(td):
    return None if pd.isna(td) else td / pd.Timedelta(days=1)


def num(x):
    x = float(x)
    return None if not np.isfinite(x) else x


def backtesting_py_stats(df, equity, trades):
    """backtesting.py's compute_stats definitions (risk-free rate 0), keyed by pulse's names."""
    index = df.index
    dd = 1 - equity / np.maximum.accumulate(equity)
    dd_dur, dd_peaks = drawdown_duration_peaks(pd.Series(dd, index=index))
    pl = pd.Series([t['pnl'] for t in trades], dtype=float)
    returns = pd.Series([t['pnl'] / (t['size'] * t['entry_price']) for t in trades], dtype=float)
    durations = pd.Series([index[t['exit_bar']] - index[t['entry_bar']] for t in trades])
    have_position = np.repeat(0, len(index))
    for t in trades:
        have_position[t['entry_bar']:t['exit_bar'] + 1] = 1
    c = df.close.values
    s = {}
    s['exposurePct'] = have_position.mean() * 100
    s['finalEquityCash'] = equity[-1]
    s['peakEquityCash'] = equity.max()
    s['returnPct'] = (equity[-1] - equity[0]) / equity[0] * 100
    s['buyAndHoldReturnPct'] = (c[-1] - c[0]) / c[0] * 100
    day_returns = pd.Series(equity, index=index).resample('D').last().dropna().pct_change()
    gmean = geometric_mean(day_returns)
    annual_days = float(365 if index.dayofweek.to_series().between(5, 6).mean() > 2 / 7 * .6 else 252)
    ann = (1 + gmean) ** annual_days - 1
    s['annualReturnPct'] = ann * 100
    s['annualVolatilityPct'] = np.sqrt((day_returns.var(ddof=int(bool(day_returns.shape))) + (1 + gmean) ** 2)
                                       ** annual_days - (1 + gmean) ** (2 * annual_days)) * 100
    duration = index[-1] - index[0]
    years = (duration.days + duration.seconds / 86400) / annual_days
    s['cagrPct'] = ((equity[-1] / equity[0]) ** (1 / years) - 1) * 100
    s['sharpe'] = s['annualReturnPct'] / (s['annualVolatilityPct'] or np.nan)
    s['sortino'] = ann / (np.sqrt(np.mean(day_returns.clip(-np.inf, 0) ** 2)) * np.sqrt(annual_days))
    max_dd = -np.nan_to_num(dd.max())
    s['calmar'] = ann / (-max_dd or np.nan)
    eq_log, mkt_log = np.log(equity[1:] / equity[:-1]), np.log(c[1:] / c[:-1])
    cov = np.cov(eq_log, mkt_log)
    beta = cov[0, 1] / cov[1, 1]
    s['alphaPct'] = s['returnPct'] - beta * s['buyAndHoldReturnPct']
    s['beta'] = beta
    s['maxDrawdownPct'] = max_dd * 100
    s['avgDrawdownPct'] = -dd_peaks.mean() * 100
    s['maxDrawdownDays'] = day(dd_dur.max())
    s['avgDrawdownDays'] = day(dd_dur.mean())
    n_trades = len(trades)
    win_rate = np.nan if not n_trades else (pl > 0).mean()
    s['trades'] = n_trades
    s['winRatePct'] = win_rate * 100
    s['bestTradePct'] = returns.max() * 100
    s['worstTradePct'] = returns.min() * 100
    s['avgTradePct'] = geometric_mean(returns) * 100
    s['maxTradeDays'] = day(durations.max())
    s['avgTradeDays'] = day(durations.mean())
    s['profitFactor'] = returns[returns > 0].sum() / (abs(returns[returns < 0].sum()) or np.nan)
    s['expectancyPct'] = returns.mean() * 100
    s['sqn'] = np.sqrt(n_trades) * pl.mean() / (pl.std() or np.nan)
    s['kelly'] = win_rate - (1 - win_rate) / (pl[pl > 0].mean() / -pl[pl < 0].mean())
    return {k: (None if v is None else num(v)) for k, v in s.items()}


def pulse_definitions(df, equity, trades):
    """The statistics whose pulse definition differs from backtesting.py's on purpose (docs/backtest.md)."""
    r = pd.Series(equity).pct_change().dropna().values
    sd = r.std(ddof=1)
    downside = np.sqrt(np.mean(np.minimum(r, 0) ** 2))
    years = (df.index[-1] - df.index[0]) / pd.Timedelta(days=365.25)
    pnl = np.array([t['pnl'] for t in trades])
    z = 1.959963984540054
    k, m = (pnl > 0).sum(), len(pnl)
    p = k / m
    centre = (p + z * z / (2 * m)) / (1 + z * z / m)
    half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / (1 + z * z / m)
    g = np.exp(np.log1p(r).mean()) - 1
    annual = ((1 + g) ** PERIODS_PER_YEAR - 1) * 100
    dd = 1 - equity / np.maximum.accumulate(equity)
    return {
        'annualReturnPct': num(annual),
        'calmar': num(annual / (dd.max() * 100)),
        'annualVolatilityPct': num(sd * np.sqrt(PERIODS_PER_YEAR) * 100),
        'sharpe': num(r.mean() / sd * np.sqrt(PERIODS_PER_YEAR)),
        'sortino': num(r.mean() / downside * np.sqrt(PERIODS_PER_YEAR)),
        'cagrPct': num(((equity[-1] / equity[0]) ** (1 / years) - 1) * 100),
        'omega': num(r[r > 0].sum() / -r[r < 0].sum()),
        'profitFactor': num(pnl[pnl > 0].sum() / -pnl[pnl < 0].sum()),
        'winRateLowPct': num((centre - half) * 100),
        'winRateHighPct': num((centre + half) * 100),
        'totalFeesCash': num(sum(t['fees'] for t in trades)),
    }


def main():
    df = pd.read_csv(sys.argv[1], parse_dates=['timestamp']).set_index('timestamp')
    df.index = df.index.tz_localize(None)
    out = {
        'source': 'scripts/backtest-oracle.py',
        'data': 'backtesting.py/GOOG-1d.csv',
        'params': {'fast': FAST, 'slow': SLOW, 'capital': CAPITAL, 'feeBps': FEE_BPS, 'slippageBps': SLIP_BPS,
                   'periodsPerYear': PERIODS_PER_YEAR},
        'runs': {},
    }
    out['params'].update(atrPeriod=ATR_PERIOD, stopLossAtr=STOP_ATR, takeProfitAtr=TAKE_ATR)
    for name, direction, stops in (('long-only', 'long-only', False), ('long-short', 'long-short', False),
                                   ('long-short-stops', 'long-short', True)):
        equity, trades = simulate(df, direction, *((STOP_ATR, TAKE_ATR) if stops else (None, None)))
        out['runs'][name] = {
            'trades': [{'side': t['side'], 'entryIndex': t['entry_bar'], 'exitIndex': t['exit_bar'],
                        'entryPrice': t['entry_price'], 'exitPrice': t['exit_price'], 'size': t['size'],
                        'pnl': t['pnl'], 'fees': t['fees'], 'exitReason': t['reason']} for t in trades],
            'equityEvery100': [float(x) for x in equity[::100]],
            'backtestingPy': backtesting_py_stats(df, equity, trades),
            'pulseDefinitions': pulse_definitions(df, equity, trades),
        }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
