// SYNTAX TEST "source.js.jsx" "suspension points in JSX"

export async function Profile({ id }) {
  const user = await fetchUser(id);
//             ^^^^^ keyword.control.suspension.await.async-lens keyword.control.flow.js.jsx
  return <p onClick={async () => { await refresh(); }}>please await {user.name}</p>;
//                                 ^^^^^ keyword.control.suspension.await.async-lens keyword.control.flow.js.jsx
//                                                             ^^^^^ - keyword.control.suspension.await.async-lens
}
