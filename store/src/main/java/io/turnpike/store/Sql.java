package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Plain JDBC in the one dialect SQLite and PostgreSQL share. Column encodings keep money exact on both
 * engines: amounts are decimal strings (SQLite would turn a NUMERIC beyond 64 bits into a float),
 * byte strings are hex, addresses and hashes lower-case 0x hex, instants epoch milliseconds.
 */
final class Sql {

    private static final HexFormat HEX = HexFormat.of();

    /** Work on one connection: a unit of a group commit, or a read. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private Sql() {}

    static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params)) {
            return statement.executeUpdate();
        }
    }

    static <T> List<T> list(Connection connection, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params);
                ResultSet rs = statement.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.read(rs));
            }
            return out;
        }
    }

    static <T> Optional<T> one(Connection connection, String sql, Row<T> row, Object... params) throws SQLException {
        List<T> rows = list(connection, sql, row, params);
        if (rows.size() > 1) {
            throw new SQLException("expected at most one row, got " + rows.size() + " for: " + sql);
        }
        return rows.stream().findFirst();
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                bind(statement, i + 1, params[i]);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        switch (value) {
            case null -> statement.setNull(index, Types.NULL);
            case Amount amount -> statement.setString(index, amountColumn(amount));
            case Address address -> statement.setString(index, address.toLowerHex());
            case Bytes32 hash -> statement.setString(index, hash.toHex());
            case byte[] bytes -> statement.setString(index, HEX.formatHex(bytes));
            case Instant instant -> statement.setLong(index, instant.toEpochMilli());
            case Enum<?> constant -> statement.setString(index, constant.name());
            case Long number -> statement.setLong(index, number);
            case Integer number -> statement.setInt(index, number);
            case String text -> statement.setString(index, text);
            default -> throw new IllegalArgumentException("no column encoding for " + value.getClass());
        }
    }

    static String amountColumn(Amount amount) {
        return amount.value().toString();
    }

    static Amount amount(String column) {
        return new Amount(new BigInteger(column));
    }

    static Amount amount(ResultSet rs, String column) throws SQLException {
        return amount(rs.getString(column));
    }

    static Address address(ResultSet rs, String column) throws SQLException {
        return Address.of(rs.getString(column));
    }

    static Bytes32 bytes32(ResultSet rs, String column) throws SQLException {
        return Bytes32.fromHex(rs.getString(column));
    }

    static Optional<Bytes32> optionalBytes32(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column)).map(Bytes32::fromHex);
    }

    static byte[] bytes(ResultSet rs, String column) throws SQLException {
        return HEX.parseHex(rs.getString(column));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    static <E extends Enum<E>> E enumValue(ResultSet rs, String column, Class<E> type) throws SQLException {
        return Enum.valueOf(type, rs.getString(column));
    }
}
