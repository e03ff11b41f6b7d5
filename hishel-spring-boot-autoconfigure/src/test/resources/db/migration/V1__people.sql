-- The application's own migration: it must run on the application's DataSource, and only it.
create table person (id bigint primary key, name varchar(100) not null);
insert into person (id, name) values (1, 'Ada');
