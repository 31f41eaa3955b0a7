# The text tools scripts pipe kubectl into (issue #12): sed, awk and xargs, as GNU's do.
kubectl apply -f deployment-demo.yaml -f service-rollout.yaml
kubectl rollout status deployment/deployment-demo
kubectl diff -f deployment-demo.yaml; echo "diff: $?"
sed -e 's/v1.0/v1.1/' -e 's/replicas: 4/replicas: 5/' deployment-demo.yaml > v11.yaml
kubectl diff -f v11.yaml -f service-rollout.yaml; echo "diff: $?"
kubectl diff -f nope.yaml; echo "diff: $?"
kubectl get endpointslices
kubectl get endpointslice -l kubernetes.io/service-name=demoapp-svc -o yaml | sed -n '/^- addressType/,/^  kind/p' | head -24
kubectl get endpointslices -o name | grep demoapp | xargs kubectl describe
kubectl get pods | awk 'NR>1 {print $1, $3}'
kubectl get pods --no-headers | awk '$3 == "Running" {n++} END {print n " running"}'
kubectl get pods -o wide | awk 'NR>1 {c[$7]++} END {for (n in c) printf "%-12s %d\n", n, c[n]}'
kubectl get pods -o wide --no-headers | awk -v OFS=, '{split($6, ip, "."); print $1, ip[4], length($1)}'
kubectl get deploy deployment-demo -o yaml | sed -n '/^spec:/,/^status:/p' | grep -E 'replicas|image:'
kubectl get svc | sed 1d | sed -E 's/ +/ /g'
kubectl get pods -o name | sed -e 's|pod/||' -e 's/deployment-demo-/demo:/' | sed -n '1p;$p'
kubectl get deploy deployment-demo -o yaml > d.yaml
sed -i 's/replicas: 4/replicas: 2/' d.yaml
grep -c 'replicas: 2' d.yaml
kubectl apply -f d.yaml
kubectl get pods -o name | head -1 | xargs kubectl delete --wait=false
kubectl get pods -l app=demoapp -o name | xargs -n1 -t kubectl get --no-headers
kubectl get endpointslices -o yaml | grep -c 'terminating: true'
kubectl get pods -o name | xargs -I{} echo found {}
kubectl get pods | awk '{print $1'
kubectl get pods | awk 'BEGIN {x = 1/0}'
kubectl get pods | sed 's/a/b'
kubectl get pods | sed -n '/Running/{p;q}' | wc -l
echo pods | xargs -n x
